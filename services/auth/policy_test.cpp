// NAME
//   policy_test.cpp - each password rule, and the breached-list search in both formats.
#include "auth/policy.h"

#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace appliance::auth {
namespace {

BreachedList shipped() {
  auto list = BreachedList::open(AUTH_COMMON_PASSWORDS);
  EXPECT_TRUE(list) << list.message();
  return std::move(*list);
}

std::vector<std::string> shipped_lines() {
  std::ifstream in(AUTH_COMMON_PASSWORDS);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

TEST(Policy, ShippedListIsSortedLowerCaseAndEveryEntryIsFound) {
  auto lines = shipped_lines();
  ASSERT_GT(lines.size(), 2000u);
  EXPECT_TRUE(std::is_sorted(lines.begin(), lines.end()));
  auto list = shipped();
  EXPECT_FALSE(list.hashed());
  for (const auto& l : lines) {
    EXPECT_EQ(l.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), std::string::npos) << l;
    EXPECT_TRUE(*list.contains(Secret(l))) << l;
  }
  EXPECT_FALSE(*list.contains(Secret("")));
  EXPECT_FALSE(*list.contains(Secret("~~~~ not in the list ~~~~")));
  EXPECT_FALSE(*list.contains(Secret("!!!!")));
}

TEST(Policy, EachRuleRefusesWithItsReason) {
  auto list = shipped();
  PasswordPolicy policy(&list);
  const std::string addr = "alice@example.test";
  EXPECT_TRUE(policy.check(Secret("vivid-otter-clock-42"), addr));
  EXPECT_EQ(policy.check(Secret("short"), addr).message(),
            "the password must have at least 12 characters (it has 5)");
  // Characters, not bytes: eleven two-byte letters are too short.
  EXPECT_FALSE(policy.check(Secret("ééééééééééé"), addr));
  EXPECT_EQ(policy.check(Secret(std::string(1025, 'x') + "y"), addr).message(),
            "the password must be at most 1024 bytes (it has 1026)");
  EXPECT_EQ(policy.check(Secret("my-alice-password"), addr).message(),
            "the password must not contain the account's name \"alice\"");
  EXPECT_EQ(policy.check(Secret("ALICEALICE123"), addr).message(),
            "the password must not contain the account's name \"alice\"");
  EXPECT_EQ(policy.check(Secret("password1234"), addr).message(),
            "the password is in a list of passwords known from breaches; choose another");
  EXPECT_FALSE(policy.check(Secret("QwertyUiop123"), addr));
}

TEST(Policy, LocalPartRules) {
  PasswordPolicy policy(nullptr, PolicyRules{2});
  EXPECT_EQ(policy.check(Secret("bo"), "bo@example.test").message(),
            "the password must not be the account's name");
  EXPECT_TRUE(policy.check(Secret("bowling-ball"), "bo@example.test"));  // too short to matter
  EXPECT_FALSE(policy.check(Secret("zz-carol-zz"), "carol+lists@example.test"));
}

std::string sha1_hex(std::string_view s) {
  unsigned char d[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d);
  std::string out;
  for (unsigned char c : d) out += "0123456789ABCDEF"[c >> 4], out += "0123456789ABCDEF"[c & 15];
  return out;
}

TEST(Policy, HashedListInPwnedPasswordsFormat) {
  std::vector<std::string> lines;
  for (int i = 0; i < 500; ++i)
    lines.push_back(sha1_hex("leaked-" + std::to_string(i)) + ":" + std::to_string(i + 1));
  std::sort(lines.begin(), lines.end());
  std::string path = testing::TempDir() + "auth-pwned.txt";
  {
    std::ofstream out(path);
    for (auto& l : lines) out << l << "\r\n";
  }
  auto list = BreachedList::open(path);
  ASSERT_TRUE(list) << list.message();
  EXPECT_TRUE(list->hashed());
  for (int i = 0; i < 500; ++i)
    EXPECT_TRUE(*list->contains(Secret("leaked-" + std::to_string(i)))) << i;
  EXPECT_FALSE(*list->contains(Secret("leaked-500")));
  EXPECT_FALSE(*list->contains(Secret("LEAKED-1")));  // hashes are of the exact password
  std::remove(path.c_str());
}

TEST(Policy, MissingListIsAnError) {
  auto list = BreachedList::open("/nonexistent/auth-list");
  ASSERT_FALSE(list);
  EXPECT_NE(list.message().find("No such file"), std::string::npos);
}

}  // namespace
}  // namespace appliance::auth
