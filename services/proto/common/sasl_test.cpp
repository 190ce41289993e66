// NAME
//   sasl_test.cpp - strict base64 and PLAIN decoding.
#include "proto/common/sasl.h"

#include <gtest/gtest.h>

#include <vector>

namespace appliance::sasl {
namespace {

TEST(Base64, RoundTripsAndRefusesNonCanonical) {
  for (std::string s :
       std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff", 2)})
    EXPECT_EQ(base64_decode(base64_encode(s)), s);
  EXPECT_EQ(base64_encode("abc"), "YWJj");
  EXPECT_FALSE(base64_decode("YWJ"));       // not a multiple of four
  EXPECT_FALSE(base64_decode("YW=j"));      // padding inside
  EXPECT_FALSE(base64_decode("YR=="));      // unused bits set
  EXPECT_FALSE(base64_decode("YQ==YQ=="));  // padding before the end
  EXPECT_FALSE(base64_decode("Y Q="));
}

TEST(Plain, SplitsTheThreeFields) {
  auto p = decode_plain(base64_encode(std::string("admin\0alice\0pw", 14)));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->authzid, "admin");
  EXPECT_EQ(p->authcid, "alice");
  EXPECT_TRUE(p->password.equals("pw"));
  EXPECT_FALSE(decode_plain(base64_encode(std::string("alice\0pw", 8))));
  EXPECT_FALSE(decode_plain(base64_encode(std::string("\0\0pw", 4))));
  EXPECT_FALSE(decode_plain(base64_encode(std::string("\0a\0", 3))));
  EXPECT_FALSE(decode_plain(base64_encode(std::string("\0a\0b\0", 5))));
  EXPECT_FALSE(decode_plain("="));
}

}  // namespace
}  // namespace appliance::sasl
