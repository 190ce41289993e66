// NAME
//   email_tokens_test.cpp - codes sent by mail: shape, parsing, and MACs
//   bound to purpose, account and address.
#include "auth/email_tokens.h"

#include <gtest/gtest.h>

namespace appliance::auth {
namespace {

TEST(EmailTokens, MadeShownInGroupsAndVerified) {
  auto keys = LocalSecretKeys::with_defaults();
  auto made = make_email_token(keys, EmailPurpose::reset, "alice@example.test", "a@elsewhere.test");
  ASSERT_TRUE(made) << made.message();
  std::string_view text = made->text.reveal();
  ASSERT_EQ(text.size(), 29u);
  for (std::size_t dash : {5u, 11u, 17u, 23u}) EXPECT_EQ(text[dash], '-') << text;
  EXPECT_EQ(made->mac.key, "secret/api-pepper/v1");
  EXPECT_EQ(made->mac.mac.size(), 32u);
  auto code = parse_email_token(Secret(" " + std::string(text) + " "));
  ASSERT_TRUE(code) << code.message();
  EXPECT_EQ(code->size(), 25u);
  auto verify = [&](EmailPurpose p, const char* account, const char* address) {
    return *verify_email_token(keys, p, account, address, *code, made->mac.key, made->mac.mac);
  };
  EXPECT_TRUE(verify(EmailPurpose::reset, "alice@example.test", "a@elsewhere.test"));
  EXPECT_FALSE(verify(EmailPurpose::contact, "alice@example.test", "a@elsewhere.test"));
  EXPECT_FALSE(verify(EmailPurpose::reset, "bob@example.test", "a@elsewhere.test"));
  EXPECT_FALSE(verify(EmailPurpose::reset, "alice@example.test", "b@elsewhere.test"));
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  EXPECT_TRUE(parse_email_token(Secret(upper))->equals(code->reveal()));
}

TEST(EmailTokens, ParsingRefusesAnythingElseWithoutRepeatingIt) {
  for (const char* bad :
       {"", "qqqqq", "abcde-abcde-abcde-abcde-abcd1", "abcde-abcde-abcde-abcde-abcdef",
        "abcde_abcde_abcde_abcde_abcde", "\xff\xfe"}) {
    auto r = parse_email_token(Secret(bad));
    ASSERT_FALSE(r) << bad;
    if (*bad) {
      EXPECT_EQ(r.message().find(bad), std::string::npos);
    }
  }
  EXPECT_FALSE(parse_email_token(Secret(std::string(1000, 'a'))));
}

}  // namespace
}  // namespace appliance::auth
