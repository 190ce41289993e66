// NAME
//   command.h - POP3 commands as types, and the command-line parser.
//
// DESCRIPTION
//   parse_command() turns one command line (without its CRLF) into a
//   Command, or into an Error whose message is the text of the -ERR reply.
//   It is pure and reads only its string_view. Commands are those of RFC 1939
//   (USER, PASS, APOP, STAT, LIST, RETR, DELE, NOOP, RSET, QUIT, TOP, UIDL),
//   CAPA (RFC 2449), STLS (RFC 2595) and AUTH (RFC 5034). Whether a command
//   is allowed now is the session's business.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "common/result.h"
#include "common/secret.h"

namespace appliance::pop3 {

// RFC 2449 4: 255 octets with CRLF for a command; SASL responses are longer.
constexpr std::size_t kMaxCommandLine = 255;
constexpr std::size_t kMaxAuthLine = 8192;

struct User {
  std::string name;
};
struct Pass {
  Secret password;  // the rest of the line: spaces are part of it (RFC 1939 7)
};
struct Apop {};
struct Stat {};
struct List {
  std::optional<std::uint32_t> message;  // none: the whole listing
};
struct Retr {
  std::uint32_t message = 0;
};
struct Dele {
  std::uint32_t message = 0;
};
struct Noop {};
struct Rset {};
struct Quit {};
struct Top {
  std::uint32_t message = 0;
  std::uint32_t lines = 0;
};
struct Uidl {
  std::optional<std::uint32_t> message;
};
struct Capa {};
struct Stls {};
struct Auth {
  std::string mechanism;               // upper case; empty: list the mechanisms
  std::optional<std::string> initial;  // still base64; "=" is an empty response
};

using Command = std::variant<User, Pass, Apop, Stat, List, Retr, Dele, Noop, Rset, Quit, Top, Uidl,
                             Capa, Stls, Auth>;

Result<Command> parse_command(std::string_view line);

// The command name, upper case, for logs and errors.
std::string command_name(const Command& c);

}  // namespace appliance::pop3
