// NAME
//   tokens.h - app passwords and API keys: made, parsed, stored as HMACs, scoped.
//
// DESCRIPTION
//   A token reads `apw_<id>_<secret>` (app password) or `ak_<id>_<secret>`
//   (API key): the prefix says what it is, the id (8 characters, 40 random
//   bits) finds its row and may be shown in lists and logs, the secret (32
//   characters, 160 random bits) is what proves possession. Both are
//   lower-case base32 (a-z, 2-7), which survives being typed into a mail
//   client. Only HMAC-SHA256 of the whole token under `secret/api-pepper` is
//   stored, with the pepper version.
//
//   A Scope limits where a token works: a set of protocols, optionally a list
//   of source networks, optionally an expiry. check_scope() says precisely
//   which limit refused a use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/cidr.h"
#include "auth/secret_keys.h"
#include "common/result.h"
#include "common/secret.h"

namespace appliance::auth {

enum class TokenKind { app_password, api_key };

inline constexpr std::size_t kTokenIdChars = 8;
inline constexpr std::size_t kTokenSecretChars = 32;

struct Token {
  TokenKind kind = TokenKind::app_password;
  std::string id;
  Secret secret;
};

struct StoredToken {
  TokenKind kind = TokenKind::app_password;
  std::string id;
  std::string key;  // pepper version
  std::string mac;
};

struct NewToken {
  Secret text;  // the whole token, shown once
  StoredToken stored;
};

Result<NewToken> make_token(SecretKeys& keys, TokenKind kind);
Result<Token> parse_token(const Secret& presented);
// Does the presented token match its stored row (found by id)?
Result<bool> verify_token(SecretKeys& keys, const Token& token, const StoredToken& stored);

// web: the web UI's sign-in; never in an app password's scope.
enum Protocol : unsigned { imap = 1, pop3 = 2, smtp = 4, api = 8, web = 16 };

// "imap,smtp" -> a set of Protocol bits.
Result<unsigned> parse_protocols(std::string_view text);
std::string protocols_to_string(unsigned protocols);

struct Scope {
  unsigned protocols = 0;
  std::vector<Cidr> networks;           // empty: from anywhere
  std::optional<std::int64_t> expires;  // Unix seconds
};

Result<void> check_scope(const Scope& scope, Protocol protocol, const IpAddress& source,
                         std::int64_t unix_now);

}  // namespace appliance::auth
