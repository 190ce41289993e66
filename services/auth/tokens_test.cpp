// NAME
//   tokens_test.cpp - app passwords and API keys: format, parsing, HMAC storage, scopes.
#include "auth/tokens.h"

#include <gtest/gtest.h>

namespace appliance::auth {
namespace {

TEST(Tokens, MadeParsedAndVerified) {
  auto keys = LocalSecretKeys::with_defaults();
  for (auto kind : {TokenKind::app_password, TokenKind::api_key}) {
    auto made = make_token(keys, kind);
    ASSERT_TRUE(made) << made.message();
    std::string_view text = made->text.reveal();
    EXPECT_EQ(text.rfind(kind == TokenKind::api_key ? "ak_" : "apw_", 0), 0u);
    EXPECT_EQ(made->stored.key, "secret/api-pepper/v1");
    EXPECT_EQ(made->stored.mac.size(), 32u);
    EXPECT_EQ(made->stored.mac.find(text.substr(text.size() - 32)), std::string::npos);
    auto parsed = parse_token(made->text);
    ASSERT_TRUE(parsed) << parsed.message();
    EXPECT_EQ(parsed->kind, kind);
    EXPECT_EQ(parsed->id, made->stored.id);
    EXPECT_TRUE(*verify_token(keys, *parsed, made->stored));
  }
}

TEST(Tokens, AnotherSecretWithTheSameIdFails) {
  auto keys = LocalSecretKeys::with_defaults();
  auto made = make_token(keys, TokenKind::app_password);
  std::string text(made->text.reveal());
  text.back() = text.back() == 'a' ? 'b' : 'a';
  auto forged = parse_token(Secret(text));
  ASSERT_TRUE(forged);
  EXPECT_FALSE(*verify_token(keys, *forged, made->stored));
  // An app password is not an API key, even with the same id and secret.
  auto as_api = parse_token(Secret("ak_" + std::string(made->text.reveal().substr(4))));
  ASSERT_TRUE(as_api);
  EXPECT_FALSE(*verify_token(keys, *as_api, made->stored));
}

TEST(Tokens, ParseErrorsArePrecise) {
  const std::string id = "abcdefgh", secret(32, 'q');
  auto msg = [](std::string text) { return parse_token(Secret(std::move(text))).message(); };
  EXPECT_EQ(msg(""), "not a token: it must start with apw_ (app password) or ak_ (API key)");
  EXPECT_EQ(msg("xyz_" + id + "_" + secret), msg(""));
  EXPECT_EQ(msg("apw_" + id + secret), "token is incomplete: no '_' after the id");
  EXPECT_EQ(msg("apw_abc_" + secret), "token id must be 8 characters");
  EXPECT_EQ(msg("apw_" + id + "_" + secret + "q"), "token secret must be 32 characters");
  EXPECT_EQ(msg("apw_ABCDEFGH_" + secret), "token has characters other than a-z and 2-7");
  EXPECT_EQ(msg("ak_" + id + "_" + std::string(31, 'q') + "1"),
            "token has characters other than a-z and 2-7");
  EXPECT_TRUE(parse_token(Secret("ak_" + id + "_" + secret)));
}

TEST(Tokens, ProtocolLists) {
  EXPECT_EQ(*parse_protocols("imap,smtp"), unsigned(imap | smtp));
  EXPECT_EQ(protocols_to_string(imap | pop3 | api), "imap,pop3,api");
  EXPECT_EQ(parse_protocols("imap,ftp").message(),
            "unknown protocol \"ftp\" (imap, pop3, smtp, api)");
  EXPECT_FALSE(parse_protocols(""));
  EXPECT_FALSE(parse_protocols("imap,"));
}

TEST(Tokens, ScopeLimitsProtocolNetworkAndTime) {
  const auto office = *parse_ip("192.0.2.17"), home = *parse_ip("2001:db8:1:2::5");
  Scope s{imap, {*parse_cidr("192.0.2.0/24"), *parse_cidr("2001:db8:1::/48")}, 2000};
  EXPECT_TRUE(check_scope(s, imap, office, 1000));
  EXPECT_TRUE(check_scope(s, imap, home, 1999));
  EXPECT_EQ(check_scope(s, smtp, office, 1000).message(), "not valid for smtp (only imap)");
  EXPECT_EQ(check_scope(s, imap, *parse_ip("198.51.100.1"), 1000).message(),
            "not valid from 198.51.100.1");
  EXPECT_EQ(check_scope(s, imap, office, 2000).message(), "expired 0 seconds ago");
  Scope anywhere{imap | smtp, {}, std::nullopt};
  EXPECT_TRUE(check_scope(anywhere, smtp, *parse_ip("198.51.100.1"), 1LL << 40));
}

}  // namespace
}  // namespace appliance::auth
