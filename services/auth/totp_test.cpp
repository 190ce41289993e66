// NAME
//   totp_test.cpp - RFC 4226 and RFC 6238 vectors, the window, reuse, enrolment.
#include "auth/totp.h"

#include <gtest/gtest.h>

#include "auth/encoding.h"

namespace appliance::auth {
namespace {

const Secret kSeed20("12345678901234567890");

TEST(Totp, Rfc4226AppendixD) {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (int i = 0; i < 10; ++i) EXPECT_EQ(hotp(kSeed20, i), expected[i]) << i;
}

TEST(Totp, Rfc6238AppendixB) {
  const Secret seed32("12345678901234567890123456789012");
  const Secret seed64("1234567890123456789012345678901234567890123456789012345678901234");
  struct Row {
    std::int64_t time;
    const char *sha1, *sha256, *sha512;
  } rows[] = {
      {59, "94287082", "46119246", "90693936"},
      {1111111109, "07081804", "68084774", "25091201"},
      {1111111111, "14050471", "67062674", "99943326"},
      {1234567890, "89005924", "91819424", "93441116"},
      {2000000000, "69279037", "90698825", "38618901"},
      {20000000000, "65353130", "77737706", "47863826"},
  };
  for (const Row& r : rows) {
    std::uint64_t step = std::uint64_t(r.time / 30);
    EXPECT_EQ(hotp(kSeed20, step, 8, TotpHash::sha1), r.sha1) << r.time;
    EXPECT_EQ(hotp(seed32, step, 8, TotpHash::sha256), r.sha256) << r.time;
    EXPECT_EQ(hotp(seed64, step, 8, TotpHash::sha512), r.sha512) << r.time;
    TotpParams p{8, 30, 0, TotpHash::sha1};
    auto matched = totp_verify(kSeed20, r.sha1, r.time, std::nullopt, p);
    ASSERT_TRUE(matched) << matched.message();
    EXPECT_EQ(*matched, r.time / 30);
  }
}

TEST(Totp, AcceptsOneStepEitherSideOnly) {
  const std::int64_t now = 1'700'000'000, step = now / 30;
  for (int d : {-1, 0, 1}) {
    auto r = totp_verify(kSeed20, hotp(kSeed20, step + d), now, std::nullopt);
    ASSERT_TRUE(r) << d;
    EXPECT_EQ(*r, step + d);
  }
  for (int d : {-2, 2}) {
    auto r = totp_verify(kSeed20, hotp(kSeed20, step + d), now, std::nullopt);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.message(), "the code does not match");
  }
}

TEST(Totp, RefusesAStepAlreadyUsed) {
  const std::int64_t now = 1'700'000'000, step = now / 30;
  std::string code = hotp(kSeed20, step);
  auto first = totp_verify(kSeed20, code, now, std::nullopt);
  ASSERT_TRUE(first);
  auto again = totp_verify(kSeed20, code, now + 5, *first);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.message(), "this code was already used; wait for the next one");
  // An older step than the last used one is refused too.
  EXPECT_FALSE(totp_verify(kSeed20, hotp(kSeed20, step - 1), now, *first));
  EXPECT_TRUE(totp_verify(kSeed20, hotp(kSeed20, step + 1), now + 30, *first));
}

TEST(Totp, CodeFormat) {
  EXPECT_EQ(*parse_totp_code("123 456"), "123456");
  for (auto bad : {"", "12345", "1234567", "12a456", "１２３４５６", "123-456"}) {
    auto r = parse_totp_code(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.message(), "the code must be 6 digits");
  }
}

TEST(Totp, EnrolmentUriAndQr) {
  Secret seed = new_totp_secret();
  EXPECT_EQ(seed.size(), 20u);
  EXPECT_EQ(totp_uri(kSeed20, "Example Mail", "alice@example.test"),
            "otpauth://totp/Example%20Mail:alice@example.test?secret="
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example%20Mail&algorithm=SHA1&digits=6"
            "&period=30");
  auto svg = qr_svg(totp_uri(seed, "Example", "alice@example.test"));
  ASSERT_TRUE(svg) << svg.message();
  EXPECT_EQ(svg->rfind("<svg xmlns=", 0), 0u);
  EXPECT_NE(svg->find("<path fill=\"#000\" d=\"M"), std::string::npos);
  EXPECT_FALSE(qr_svg(std::string(8000, 'x')));
}

TEST(Totp, SeedIsSealedForItsAccount) {
  auto keys = LocalSecretKeys::with_defaults();
  Secret seed = new_totp_secret();
  auto sealed = seal_totp_secret(keys, seed, "alice@example.test");
  ASSERT_TRUE(sealed);
  EXPECT_EQ(sealed->key, "seal/totp/v1");
  EXPECT_EQ(sealed->sealed.find(seed.reveal()), std::string::npos);
  auto opened = unseal_totp_secret(keys, *sealed, "alice@example.test");
  ASSERT_TRUE(opened);
  EXPECT_TRUE(seed.equals(opened->reveal()));
  EXPECT_FALSE(unseal_totp_secret(keys, *sealed, "mallory@example.test"));
}

}  // namespace
}  // namespace appliance::auth
