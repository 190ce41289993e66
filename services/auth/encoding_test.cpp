// NAME
//   encoding_test.cpp - RFC 4648 vectors and strict decoding.
#include "auth/encoding.h"

#include <gtest/gtest.h>

namespace appliance::auth {
namespace {

TEST(Encoding, Rfc4648Base32) {
  const char* in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* out[] = {"", "MY", "MZXQ", "MZXW6", "MZXW6YQ", "MZXW6YTB", "MZXW6YTBOI"};
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(base32_encode(in[i]), out[i]);
    EXPECT_EQ(*base32_decode(out[i]), in[i]);
  }
  EXPECT_EQ(*base32_decode("mzxw6ytboi"), "foobar");
  EXPECT_EQ(base32_lower("foobar"), "mzxw6ytboi");
}

TEST(Encoding, Base64WithoutPadding) {
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("fo"), "Zm8");
  EXPECT_EQ(*base64_decode("Zm8"), "fo");
  EXPECT_EQ(*base64_decode("Zg"), "f");
}

TEST(Encoding, DecodersAreStrict) {
  EXPECT_FALSE(base32_decode("MY======"));  // no padding
  EXPECT_FALSE(base32_decode("M1"));        // outside the alphabet
  EXPECT_FALSE(base32_decode("MZ"));        // trailing bits not zero
  EXPECT_FALSE(base32_decode("MZX"));       // impossible length
  EXPECT_FALSE(base64_decode("Zm9="));
  EXPECT_FALSE(base64_decode("Zh"));  // trailing bits not zero
  EXPECT_FALSE(base64_decode("Z"));
}

}  // namespace
}  // namespace appliance::auth
