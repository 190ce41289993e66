#include "keyd/acl.h"

#include <gtest/gtest.h>

namespace appliance::keyd {
namespace {

Acl table() { return Acl({{"smtpd", 1001}, {"imapd", 1002}, {"webd", 1003}}, 0); }

TEST(KeydAcl, DaemonsGetTheirPurposesOnly) {
  Acl acl = table();
  EXPECT_TRUE(acl.check(1001, "dkim/example.test/s1", Use::sign).ok());
  EXPECT_TRUE(acl.check(1001, "tls/mail.example.test", Use::sign).ok());
  EXPECT_TRUE(acl.check(1002, "tls/mail.example.test", Use::sign).ok());
  auto denied = acl.check(1002, "dkim/example.test/s1", Use::sign);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.message(), "permission denied: imapd may not sign with dkim/example.test/s1");
  EXPECT_TRUE(acl.check(1001, "secret/api-pepper/v1", Use::hmac).ok());  // logins
  EXPECT_TRUE(acl.check(1002, "secret/password-pepper/v1", Use::hmac).ok());
  EXPECT_FALSE(acl.check(1002, "seal/totp/v1", Use::unseal).ok());
  EXPECT_TRUE(acl.check(1003, "secret/api-pepper/v1", Use::hmac).ok());
  EXPECT_FALSE(acl.check(1003, "tls/x", Use::admin).ok());
}

TEST(KeydAcl, StrangersGetNothingRootEverything) {
  Acl acl = table();
  EXPECT_EQ(acl.check(4242, "tls/x", Use::public_key).message(),
            "permission denied: uid 4242 may not read the public key with tls/x");
  EXPECT_TRUE(acl.check(0, "tls/x", Use::admin).ok());
  EXPECT_EQ(acl.caller_name(1003), "webd");
}

}  // namespace
}  // namespace appliance::keyd
