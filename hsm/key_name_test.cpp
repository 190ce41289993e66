// NAME
//   key_name_test.cpp - key names, PINs and return-code names (no token).
//
// DESCRIPTION
//   The grammar of key names with the exact error texts, which algorithms
//   each purpose allows, CKR_ names, and PIN generation. No token is needed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "hsm/key_name.h"
#include "hsm/keys.h"
#include "hsm/p11.h"
#include "hsm/token.h"

#define EXPECT_OK(result) EXPECT_TRUE((result).ok()) << (result).message()
#define ASSERT_OK(result) ASSERT_TRUE((result).ok()) << (result).message()

namespace appliance::hsm {
namespace {

using ::testing::HasSubstr;

TEST(KeyName, AcceptsTheNamesOfTheDesign) {
  const std::pair<const char*, Purpose> good[] = {
      {"tls/mail.example.com/v3", Purpose::tls}, {"dkim/example.com/s2026", Purpose::dkim},
      {"secret/api-pepper/v1", Purpose::secret}, {"seal/totp/v1", Purpose::seal},
      {"wrap/backup/v1", Purpose::wrap},         {"update/timestamp/v1", Purpose::update},
      {"tls/under_score/v1", Purpose::tls},
  };
  for (const auto& [name, purpose] : good) {
    auto parsed = parse_key_name(name);
    ASSERT_TRUE(parsed.ok()) << name << ": " << parsed.message();
    EXPECT_EQ(parsed->purpose, purpose);
    EXPECT_EQ(parsed->text, name);
  }
}

TEST(KeyName, ExplainsWhatIsWrong) {
  const std::pair<std::string, const char*> bad[] = {
      {"", "key name is empty"},
      {"TLS/mail/v1", "unknown purpose \"TLS\" (expected tls, dkim, secret, seal, wrap or update)"},
      {"smtp/mail/v1", "unknown purpose \"smtp\""},
      {"tls", "needs at least one segment after the purpose"},
      {"tls/", "segment 2 is empty"},
      {"tls//v1", "segment 2 is empty"},
      {"tls/Mail/v1", "segment 2 \"Mail\" has character \"M\" at position 0"},
      {"dkim/example.com/s 2026", "segment 3 \"s 2026\" has character \" \" at position 1"},
      {"tls/../v1", "segment 2 \"..\" is not allowed"},
      {"tls/a\x01/v1", "segment 2 \"a\\x01\" has character \"\\x01\""},
      {"tls/" + std::string(64, 'a'), "longer than 63 characters"},
      {"tls/" + std::string(130, 'a'), "longer than 128 characters"},
  };
  for (const auto& [name, expected] : bad) {
    auto parsed = parse_key_name(name);
    ASSERT_FALSE(parsed.ok()) << name;
    EXPECT_THAT(parsed.message(), HasSubstr(expected)) << name;
  }
}

TEST(Algorithm, PurposeDecidesWhatIsAllowed) {
  EXPECT_OK(check_algorithm_for_purpose(Purpose::tls, Algorithm::ec_p256));
  EXPECT_OK(check_algorithm_for_purpose(Purpose::dkim, Algorithm::ed25519));
  EXPECT_OK(check_algorithm_for_purpose(Purpose::seal, Algorithm::aes_256));
  auto refused = check_algorithm_for_purpose(Purpose::tls, Algorithm::aes_256);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.message(), "algorithm aes-256 is not allowed for purpose tls");
  EXPECT_FALSE(check_algorithm_for_purpose(Purpose::secret, Algorithm::aes_256).ok());
  auto parsed = parse_algorithm("rsa-3072");
  ASSERT_OK(parsed);
  EXPECT_EQ(*parsed, Algorithm::rsa_3072);
  EXPECT_FALSE(parse_algorithm("dsa-1024").ok());
}

TEST(ReturnCodes, AreNamedWithTheFunction) {
  EXPECT_EQ(rv_name(CKR_PIN_INCORRECT), "CKR_PIN_INCORRECT");
  EXPECT_EQ(rv_name(CKR_ATTRIBUTE_SENSITIVE), "CKR_ATTRIBUTE_SENSITIVE");
  EXPECT_EQ(rv_name(0x8000abcdUL), "CKR_0x8000abcd");
  EXPECT_EQ(p11_error("C_Login", CKR_PIN_INCORRECT).message, "C_Login: CKR_PIN_INCORRECT");
  EXPECT_EQ(p11_check("C_Sign", CKR_OK).ok(), true);
}

TEST(Pin, IsLongRandomAndUrlSafe) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    auto pin = generate_pin();
    ASSERT_OK(pin);
    EXPECT_EQ(pin->size(), 48u);
    EXPECT_EQ(
        std::string(pin->reveal())
            .find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    seen.insert(std::string(pin->reveal()));
  }
  EXPECT_EQ(seen.size(), 50u);
  EXPECT_EQ(generate_pin(32)->size(), 32u);
  EXPECT_FALSE(generate_pin(31).ok());
}

}  // namespace
}  // namespace appliance::hsm
