// NAME
//   password_test.cpp - hashing, the stored format, rehash signals, unknown accounts.
#include "auth/password.h"

#include <gtest/gtest.h>

#include "auth/testing/counting_keys.h"

namespace appliance::auth {
namespace {

using testing::CountingKeys;

// Cheap parameters: the tests check behaviour, not cost.
const Argon2Params kFast{256, 1, 1};

TEST(Password, HashThenVerify) {
  auto keys = LocalSecretKeys::with_defaults();
  PasswordHasher hasher(keys, kFast);
  auto stored = hasher.hash(Secret("correct horse battery staple"));
  ASSERT_TRUE(stored) << stored.message();
  EXPECT_EQ(
      stored->rfind("$argon2id-hmac-sha256$v=19$m=256,t=1,p=1$k=secret/password-pepper/v1$", 0),
      0u);
  EXPECT_EQ(stored->find("correct"), std::string::npos);
  auto good = hasher.verify(Secret("correct horse battery staple"), *stored);
  ASSERT_TRUE(good);
  EXPECT_TRUE(good->ok);
  EXPECT_FALSE(good->needs_rehash);
  auto bad = hasher.verify(Secret("correct horse battery stapler"), *stored);
  ASSERT_TRUE(bad);
  EXPECT_FALSE(bad->ok);
}

TEST(Password, SaltsDiffer) {
  auto keys = LocalSecretKeys::with_defaults();
  PasswordHasher hasher(keys, kFast);
  EXPECT_NE(*hasher.hash(Secret("same password here")), *hasher.hash(Secret("same password here")));
}

TEST(Password, TheDatabaseAloneIsNotEnough) {
  // Same salt and parameters, another pepper: the stored text does not verify.
  auto keys = LocalSecretKeys::with_defaults();
  auto other = LocalSecretKeys::with_defaults();
  auto stored = PasswordHasher(keys, kFast).hash(Secret("a good long password"));
  auto check = PasswordHasher(other, kFast).verify(Secret("a good long password"), *stored);
  ASSERT_TRUE(check);
  EXPECT_FALSE(check->ok);
}

TEST(Password, NewParametersAskForARehash) {
  auto keys = LocalSecretKeys::with_defaults();
  auto stored = PasswordHasher(keys, kFast).hash(Secret("a good long password"));
  PasswordHasher stronger(keys, Argon2Params{512, 2, 1});
  auto check = stronger.verify(Secret("a good long password"), *stored);
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->ok);
  EXPECT_TRUE(check->needs_rehash);
  EXPECT_FALSE(stronger.verify(Secret("wrong"), *stored)->needs_rehash);
}

TEST(Password, ARotatedPepperStillVerifiesAndAsksForARehash) {
  auto keys = LocalSecretKeys::with_defaults();
  PasswordHasher hasher(keys, kFast);
  auto stored = hasher.hash(Secret("a good long password"));
  keys.add("secret/password-pepper/v2", Secret(std::string(32, 'k')));
  auto check = hasher.verify(Secret("a good long password"), *stored);
  ASSERT_TRUE(check) << check.message();
  EXPECT_TRUE(check->ok);
  EXPECT_TRUE(check->needs_rehash);
  auto fresh = hasher.hash(Secret("a good long password"));
  EXPECT_NE(fresh->find("k=secret/password-pepper/v2$"), std::string::npos);
  EXPECT_FALSE(hasher.verify(Secret("a good long password"), *fresh)->needs_rehash);
  EXPECT_FALSE(hasher.verify(Secret("wrong password"), *stored)->ok);
}

TEST(Password, UnknownAccountDoesTheSameWorkAndSaysNo) {
  auto local = LocalSecretKeys::with_defaults();
  CountingKeys keys(local);
  PasswordHasher hasher(keys, kFast);
  auto stored = hasher.hash(Secret("a good long password"));
  keys.calls = 0;
  auto wrong = hasher.verify(Secret("a guessed password"), *stored);
  int known_calls = keys.calls;
  keys.calls = 0;
  auto unknown = hasher.verify_unknown(Secret("a guessed password"));
  ASSERT_TRUE(wrong);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(keys.calls, known_calls);
  EXPECT_EQ(wrong->ok, unknown->ok);
  EXPECT_EQ(wrong->needs_rehash, unknown->needs_rehash);
  EXPECT_FALSE(hasher.verify_unknown(Secret("a good long password"))->ok);
}

TEST(Password, StoredFormatRoundTrips) {
  auto keys = LocalSecretKeys::with_defaults();
  auto text = *PasswordHasher(keys, kFast).hash(Secret("a good long password"));
  auto parsed = parse_stored_password(text);
  ASSERT_TRUE(parsed) << parsed.message();
  EXPECT_EQ(parsed->params, kFast);
  EXPECT_EQ(parsed->key, "secret/password-pepper/v1");
  EXPECT_EQ(parsed->salt.size(), 16u);
  EXPECT_EQ(parsed->tag.size(), 32u);
  EXPECT_EQ(format_stored_password(*parsed), text);
}

TEST(Password, StoredFormatIsStrict) {
  const std::string salt = "AAAAAAAAAAAAAAAAAAAAAA", tag(43, 'A');
  auto with = [&](std::string params, std::string key = "k=secret/password-pepper/v1") {
    return "$argon2id-hmac-sha256$v=19$" + params + "$" + key + "$" + salt + "$" + tag;
  };
  EXPECT_TRUE(parse_stored_password(with("m=19456,t=2,p=1")));
  EXPECT_EQ(parse_stored_password(with("m=19456,t=2")).message(),
            "stored password: expected m=,t=,p=");
  EXPECT_EQ(parse_stored_password(with("m=99999999,t=2,p=1")).message(),
            "stored password: m is out of range");
  EXPECT_EQ(parse_stored_password(with("m=019456,t=2,p=1")).message(),
            "stored password: m is not a number");
  EXPECT_EQ(parse_stored_password(with("m=8,t=1,p=2")).message(),
            "stored password: m is below 8 KiB per lane");
  EXPECT_EQ(parse_stored_password(with("m=19456,t=2,p=1", "k=Secret/X")).message(),
            "stored password: bad pepper key name");
  EXPECT_FALSE(parse_stored_password("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"));
  EXPECT_FALSE(parse_stored_password(with("m=19456,t=2,p=1") + "$"));
  EXPECT_FALSE(parse_stored_password(""));
}

TEST(Password, RefusesOverlongInput) {
  auto keys = LocalSecretKeys::with_defaults();
  auto r = PasswordHasher(keys, kFast).hash(Secret(std::string(kMaxPasswordBytes + 1, 'a')));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.message(), "password is too long");
}

}  // namespace
}  // namespace appliance::auth
