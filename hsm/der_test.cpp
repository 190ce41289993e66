// NAME
//   der_test.cpp - ECDSA signature and DigestInfo encodings (no token).
//
// DESCRIPTION
//   Pure encodings checked byte for byte; no token is needed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hsm/der.h"

#define EXPECT_OK(result) EXPECT_TRUE((result).ok()) << (result).message()

namespace appliance::hsm {
namespace {

std::string hex(std::string_view bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

TEST(EcdsaDer, EncodesSmallIntegers) {
  // r = 1, s = 0x80 (needs a leading zero to stay positive).
  std::string raw(64, '\0');
  raw[31] = 1;
  raw[63] = '\x80';
  auto der = ecdsa_raw_to_der(raw);
  EXPECT_OK(der);
  EXPECT_EQ(hex(*der),
            "3007020101020200"
            "80");
  auto back = ecdsa_der_to_raw(*der, 32);
  EXPECT_OK(back);
  EXPECT_EQ(*back, raw);
}

TEST(EcdsaDer, RoundTripsFullWidthValues) {
  std::string raw(64, '\xff');
  auto der = ecdsa_raw_to_der(raw);
  EXPECT_OK(der);
  EXPECT_EQ(der->size(), 2u + 2 * (2 + 33));
  EXPECT_EQ(*ecdsa_der_to_raw(*der, 32), raw);
}

TEST(EcdsaDer, RejectsBadInput) {
  EXPECT_FALSE(ecdsa_raw_to_der("").ok());
  EXPECT_FALSE(ecdsa_raw_to_der(std::string(63, 'a')).ok());
  EXPECT_FALSE(ecdsa_der_to_raw("\x30\x03\x02\x01", 32).ok());
  auto der = ecdsa_raw_to_der(std::string(64, '\x11'));
  EXPECT_FALSE(ecdsa_der_to_raw(*der + "x", 32).ok());  // trailing bytes
  EXPECT_FALSE(ecdsa_der_to_raw(*der, 16).ok());        // does not fit
}

TEST(DigestInfo, HasTheRfc8017Prefix) {
  auto info = digest_info(Hash::sha256, std::string(32, '\0'));
  EXPECT_OK(info);
  EXPECT_EQ(hex(info->substr(0, 19)), "3031300d060960864801650304020105000420");
  EXPECT_EQ(info->size(), 51u);
  EXPECT_EQ(digest_info(Hash::sha384, std::string(48, 'x'))->size(), 19u + 48);
  EXPECT_EQ(digest_info(Hash::sha512, std::string(64, 'x'))->size(), 19u + 64);
  auto wrong = digest_info(Hash::sha256, "short");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.message(), "DigestInfo: digest is 5 bytes, expected 32");
  EXPECT_EQ(*hash_for_size(48), Hash::sha384);
  EXPECT_FALSE(hash_for_size(20).ok());
}

}  // namespace
}  // namespace appliance::hsm
