// NAME
//   auth.cpp - the AUTH command and the PLAIN and LOGIN decoders.
#include "proto/smtp/auth.h"

#include "proto/smtp/base64.h"
#include "proto/smtp/command.h"
#include "proto/smtp/syntax.h"

namespace appliance::smtp {

namespace {

Reply bad_response() {
  return make_reply(501, "5.5.2", "Invalid authentication response");
}

bool valid_mechanism(std::string_view m) {
  if (m.empty() || m.size() > 20) return false;
  for (char c : m) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// Decodes into a Secret at once: the buffer holds a password.
std::optional<Secret> decode_secret(std::string_view text) {
  if (text == "=") return Secret();
  auto bytes = base64::decode(text);
  if (!bytes) return std::nullopt;
  return Secret(std::move(*bytes));
}

}  // namespace

bool is_supported_mechanism(std::string_view m) {
  return m == "PLAIN" || m == "LOGIN";
}

Parsed<Command> parse_auth(std::string_view args) {
  if (args.size() < 2 || args[0] != ' ') return make_reply(501, "5.5.4", "Syntax: AUTH mechanism");
  std::string_view rest = args.substr(1);
  std::size_t space = rest.find(' ');
  std::string_view mech = rest.substr(0, space);
  if (!valid_mechanism(mech)) return make_reply(501, "5.5.4", "Syntax: AUTH mechanism");
  Auth auth{std::string(mech), std::nullopt};
  for (char& c : auth.mechanism) {
    if (c >= 'a' && c <= 'z') c -= 32;
  }
  if (space != std::string_view::npos) {
    std::string_view initial = rest.substr(space + 1);
    if (initial.empty() || initial.find(' ') != std::string_view::npos)
      return make_reply(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
    auth.initial = std::string(initial);
  }
  return Command(std::move(auth));
}

Parsed<Credentials> decode_plain(std::string_view text) {
  auto decoded = decode_secret(text);
  if (!decoded) return bad_response();
  std::string_view all = decoded->reveal();
  std::size_t first = all.find('\0');
  std::size_t second = first == std::string_view::npos ? first : all.find('\0', first + 1);
  if (second == std::string_view::npos || all.find('\0', second + 1) != std::string_view::npos)
    return bad_response();
  Credentials c;
  c.mechanism = "PLAIN";
  c.authzid = all.substr(0, first);
  c.authcid = all.substr(first + 1, second - first - 1);
  c.password = Secret(std::string(all.substr(second + 1)));
  if (c.authcid.empty() || c.password.empty() || c.authzid.size() > kMaxSaslField ||
      c.authcid.size() > kMaxSaslField || c.password.size() > kMaxSaslField)
    return bad_response();
  return c;
}

Parsed<Secret> decode_login_field(std::string_view text) {
  auto decoded = decode_secret(text);
  if (!decoded || decoded->empty() || decoded->size() > kMaxSaslField) return bad_response();
  if (decoded->reveal().find('\0') != std::string_view::npos) return bad_response();
  return std::move(*decoded);
}

}  // namespace appliance::smtp
