#include "keyd/acl.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace appliance::keyd {
namespace {

Acl table() {
  return Acl({{"smtpd", 1001}, {"imapd", 1002}, {"webd", 1003}, {"deliverd", 1004}}, 0);
}

TEST(KeydAcl, DaemonsGetTheirPurposesOnly) {
  Acl acl = table();
  EXPECT_TRUE(acl.check(1001, "dkim/example.test/s1", Use::sign).ok());
  EXPECT_TRUE(acl.check(1001, "tls/mail.example.test", Use::sign).ok());
  EXPECT_TRUE(acl.check(1002, "tls/mail.example.test", Use::sign).ok());
  auto denied = acl.check(1002, "dkim/example.test/s1", Use::sign);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.message(), "permission denied: imapd may not sign with dkim/example.test/s1");
  // deliverd signs the notices it writes (DSNs, delay and relay notices).
  EXPECT_TRUE(acl.check(1004, "dkim/example.test/s1", Use::sign).ok());
  EXPECT_FALSE(acl.check(1004, "dkim/example.test/s1", Use::manage).ok());
  EXPECT_TRUE(acl.check(1001, "secret/api-pepper/v1", Use::hmac).ok());  // logins
  EXPECT_TRUE(acl.check(1002, "secret/password-pepper/v1", Use::hmac).ok());
  EXPECT_FALSE(acl.check(1002, "seal/totp/v1", Use::unseal).ok());
  EXPECT_TRUE(acl.check(1003, "secret/api-pepper/v1", Use::hmac).ok());
  EXPECT_FALSE(acl.check(1003, "tls/x", Use::admin).ok());
}

// webd's whole row, each purpose against each use: what the web UI may ask.
TEST(KeydAcl, WebdManagesTlsAndDkimKeysAndNothingElse) {
  Acl acl = table();
  const std::map<std::string, std::set<Use>> allowed = {
      {"tls/mail.example.test/v2", {Use::sign, Use::public_key, Use::manage}},
      {"dkim/example.test/s20261123", {Use::sign, Use::public_key, Use::manage}},
      {"secret/api-pepper/v1", {Use::hmac}},
      {"seal/totp/v1", {Use::seal, Use::unseal}},
      {"wrap/data/v1", {Use::data_key}},
      {"update/signing/v1", {}},
  };
  for (const auto& [key, uses] : allowed)
    for (Use use : {Use::sign, Use::hmac, Use::seal, Use::unseal, Use::data_key,
                    Use::public_key, Use::manage, Use::admin})
      EXPECT_EQ(acl.check(1003, key, use).ok(), uses.count(use) == 1)
          << key << " " << use_name(use);
  // A family (rotate) is checked by its purpose like a version.
  EXPECT_TRUE(acl.check(1003, "tls/mail.example.test", Use::manage).ok());
  EXPECT_EQ(acl.check(1003, "secret/api-pepper", Use::manage).message(),
            "permission denied: webd may not manage with secret/api-pepper");
  EXPECT_TRUE(acl.check(1003, "", Use::manage).ok());   // the list, filtered
  EXPECT_FALSE(acl.check(1003, "", Use::admin).ok());   // import, delete
  EXPECT_FALSE(acl.check(1001, "", Use::manage).ok());  // smtpd lists nothing
  EXPECT_FALSE(acl.check(1001, "tls/mail.example.test/v2", Use::manage).ok());
  EXPECT_FALSE(acl.check(4242, "", Use::manage).ok());
}

TEST(KeydAcl, RequestsMapToUses) {
  for (ipc::Type t : {ipc::Type::key_list, ipc::Type::key_generate, ipc::Type::key_rotate,
                      ipc::Type::key_csr, ipc::Type::key_set_certificate, ipc::Type::key_retire})
    EXPECT_EQ(use_of(t), Use::manage) << ipc::type_name(t);
  EXPECT_EQ(use_of(ipc::Type::key_import), Use::admin);
  EXPECT_EQ(use_of(ipc::Type::key_delete), Use::admin);
}

TEST(KeydAcl, ListsShowWebdItsManagedKeysOnly) {
  Acl acl = table();
  EXPECT_TRUE(acl.lists(1003, "tls/mail.example.test/v1"));
  EXPECT_TRUE(acl.lists(1003, "dkim/example.test/s1"));
  EXPECT_FALSE(acl.lists(1003, "secret/api-pepper/v1"));
  EXPECT_FALSE(acl.lists(1003, "seal/totp/v1"));
  EXPECT_FALSE(acl.lists(1003, "wrap/data/v1"));
  EXPECT_TRUE(acl.lists(0, "secret/api-pepper/v1"));
  EXPECT_FALSE(acl.lists(1001, "tls/mail.example.test/v1"));
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
