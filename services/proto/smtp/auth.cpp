// NAME
//   auth.cpp - the AUTH command and the PLAIN and LOGIN decoders.
#include "proto/smtp/auth.h"

#include "proto/common/sasl.h"
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
  auto bytes = sasl::base64_decode(text);
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
  auto plain = sasl::decode_plain(text);
  if (!plain || plain->authzid.size() > kMaxSaslField || plain->authcid.size() > kMaxSaslField ||
      plain->password.size() > kMaxSaslField)
    return bad_response();
  Credentials c;
  c.mechanism = "PLAIN";
  c.authzid = std::move(plain->authzid);
  c.authcid = std::move(plain->authcid);
  c.password = std::move(plain->password);
  return c;
}

Parsed<Secret> decode_login_field(std::string_view text) {
  auto decoded = decode_secret(text);
  if (!decoded || decoded->empty() || decoded->size() > kMaxSaslField) return bad_response();
  if (decoded->reveal().find('\0') != std::string_view::npos) return bad_response();
  return std::move(*decoded);
}

}  // namespace appliance::smtp
