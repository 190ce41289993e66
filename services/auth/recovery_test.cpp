// NAME
//   recovery_test.cpp - ten recovery codes, each usable once, for one account.
#include "auth/recovery.h"

#include <gtest/gtest.h>

#include <set>

namespace appliance::auth {
namespace {

TEST(Recovery, TenCodesShownOnceStoredAsMacs) {
  auto keys = LocalSecretKeys::with_defaults();
  auto codes = generate_recovery_codes(keys, "alice@example.test");
  ASSERT_TRUE(codes) << codes.message();
  ASSERT_EQ(codes->shown.size(), 10u);
  ASSERT_EQ(codes->stored.size(), 10u);
  std::set<std::string> distinct;
  for (std::size_t i = 0; i < 10; ++i) {
    std::string_view code = codes->shown[i].reveal();
    EXPECT_EQ(code.size(), 11u);
    EXPECT_EQ(code[5], '-');
    EXPECT_EQ(codes->stored[i].key, "secret/api-pepper/v1");
    EXPECT_EQ(codes->stored[i].mac.find(code.substr(0, 5)), std::string::npos);
    distinct.insert(std::string(code));
  }
  EXPECT_EQ(distinct.size(), 10u);
}

TEST(Recovery, EachCodeWorksOnce) {
  auto keys = LocalSecretKeys::with_defaults();
  auto codes = *generate_recovery_codes(keys, "alice@example.test");
  auto& stored = codes.stored;
  // Typed in upper case with a space: the same code.
  std::string typed(codes.shown[7].reveal());
  for (char& c : typed) c = char(std::toupper(static_cast<unsigned char>(c)));
  typed[5] = ' ';
  auto used = consume_recovery_code(keys, "alice@example.test", Secret(typed), stored);
  ASSERT_TRUE(used) << used.message();
  EXPECT_EQ(*used, 7u);
  EXPECT_TRUE(stored[7].used);
  auto again = consume_recovery_code(keys, "alice@example.test", codes.shown[7], stored);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.message(), "the recovery code does not match, or was already used");
  EXPECT_TRUE(consume_recovery_code(keys, "alice@example.test", codes.shown[0], stored));
}

TEST(Recovery, CodesBelongToTheirAccount) {
  auto keys = LocalSecretKeys::with_defaults();
  auto codes = *generate_recovery_codes(keys, "alice@example.test");
  EXPECT_FALSE(consume_recovery_code(keys, "mallory@example.test", codes.shown[0], codes.stored));
}

TEST(Recovery, MalformedCodesSayWhatACodeLooksLike) {
  auto keys = LocalSecretKeys::with_defaults();
  auto codes = *generate_recovery_codes(keys, "alice@example.test");
  for (auto bad : {"", "abcde", "abcde-fghij-k", "abcde-fghi1", "abcde_fghij"}) {
    auto r = consume_recovery_code(keys, "alice@example.test", Secret(bad), codes.stored);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.message(), "a recovery code is 10 letters and digits, like abcde-23456") << bad;
  }
}

}  // namespace
}  // namespace appliance::auth
