// NAME
//   tokens.cpp - token text, its HMAC, and scope checks.
#include "auth/tokens.h"

#include <fmt/format.h>

#include <algorithm>

#include "auth/encoding.h"

namespace appliance::auth {
namespace {

constexpr std::string_view kAppPrefix = "apw_";
constexpr std::string_view kApiPrefix = "ak_";
constexpr std::pair<Protocol, std::string_view> kProtocols[] = {
    {imap, "imap"}, {pop3, "pop3"}, {smtp, "smtp"}, {api, "api"}, {web, "web"}};

std::string_view prefix(TokenKind kind) {
  return kind == TokenKind::api_key ? kApiPrefix : kAppPrefix;
}

bool base32_lower_chars(std::string_view s) {
  return s.find_first_not_of("abcdefghijklmnopqrstuvwxyz234567") == std::string_view::npos;
}

// A Secret, so the copy of the token's secret inside is wiped after use.
Secret mac_input(TokenKind kind, std::string_view id, std::string_view secret) {
  return Secret(fmt::format("token\n{}{}_{}", prefix(kind), id, secret));
}

}  // namespace

Result<NewToken> make_token(SecretKeys& keys, TokenKind kind) {
  std::string id = base32_lower(random_bytes(5));
  Secret secret(base32_lower(random_bytes(20)));
  auto mac = keys.hmac(std::string(kApiPepper), mac_input(kind, id, secret.reveal()).reveal());
  if (!mac) return mac.error();
  Secret text(fmt::format("{}{}_{}", prefix(kind), id, secret.reveal()));
  return NewToken{std::move(text), StoredToken{kind, id, mac->key, mac->mac}};
}

Result<Token> parse_token(const Secret& presented) {
  std::string_view s = presented.reveal();
  Token t;
  if (s.substr(0, kAppPrefix.size()) == kAppPrefix) {
    s.remove_prefix(kAppPrefix.size());
  } else if (s.substr(0, kApiPrefix.size()) == kApiPrefix) {
    t.kind = TokenKind::api_key;
    s.remove_prefix(kApiPrefix.size());
  } else {
    return make_error("not a token: it must start with apw_ (app password) or ak_ (API key)");
  }
  auto sep = s.find('_');
  if (sep == std::string_view::npos) return make_error("token is incomplete: no '_' after the id");
  auto id = s.substr(0, sep), secret = s.substr(sep + 1);
  if (id.size() != kTokenIdChars)
    return make_error(fmt::format("token id must be {} characters", kTokenIdChars));
  if (secret.size() != kTokenSecretChars)
    return make_error(fmt::format("token secret must be {} characters", kTokenSecretChars));
  if (!base32_lower_chars(id) || !base32_lower_chars(secret))
    return make_error("token has characters other than a-z and 2-7");
  t.id = std::string(id);
  t.secret = Secret(std::string(secret));
  return t;
}

Result<bool> verify_token(SecretKeys& keys, const Token& token, const StoredToken& stored) {
  if (token.kind != stored.kind || token.id != stored.id) return false;
  return keys.hmac_verify(
      stored.key, mac_input(token.kind, token.id, token.secret.reveal()).reveal(), stored.mac);
}

Result<unsigned> parse_protocols(std::string_view text) {
  if (text.empty()) return make_error("no protocol given (imap, pop3, smtp, api)");
  unsigned set = 0;
  for (std::size_t start = 0; start <= text.size();) {
    auto comma = std::min(text.find(',', start), text.size());
    auto name = text.substr(start, comma - start);
    auto* p = std::find_if(std::begin(kProtocols), std::end(kProtocols),
                           [&](const auto& e) { return e.second == name; });
    if (p == std::end(kProtocols) || p->first == web)
      return make_error(fmt::format("unknown protocol \"{}\" (imap, pop3, smtp, api)", name));
    set |= p->first;
    start = comma + 1;
  }
  return set;
}

std::string protocols_to_string(unsigned set) {
  std::string out;
  for (auto [bit, name] : kProtocols)
    if (set & bit) out += (out.empty() ? "" : ",") + std::string(name);
  return out.empty() ? "none" : out;
}

Result<void> check_scope(const Scope& scope, Protocol protocol, const IpAddress& source,
                         std::int64_t unix_now) {
  if (scope.expires && unix_now >= *scope.expires)
    return make_error(fmt::format("expired {} seconds ago", unix_now - *scope.expires));
  if (!(scope.protocols & protocol))
    return make_error(fmt::format("not valid for {} (only {})", protocols_to_string(protocol),
                                  protocols_to_string(scope.protocols)));
  bool from_allowed =
      scope.networks.empty() || std::any_of(scope.networks.begin(), scope.networks.end(),
                                            [&](const Cidr& c) { return c.contains(source); });
  if (!from_allowed) return make_error(fmt::format("not valid from {}", to_string(source)));
  return {};
}

}  // namespace appliance::auth
