// NAME
//   command.h - SMTP commands as types, and the command-line parser.
//
// DESCRIPTION
//   parse_command() turns one command line (without its CRLF) into a Command,
//   or into the exact Reply to send: code and enhanced status code (RFC 5321,
//   RFC 3463). It is pure: it reads only the string_view it is given. Each
//   command with arguments has its own file (ehlo.cpp, mail.cpp, rcpt.cpp,
//   bdat.cpp, auth.cpp), the names smtpd uses for the code that acts on them.
//   Whether a command is allowed now is the session's business, not the parser's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "proto/smtp/address.h"
#include "proto/smtp/reply.h"

namespace appliance::smtp {

// RFC 5321 4.5.3.1.4 allows 512 octets with CRLF; ESMTP parameters need more
// (RFC 1869 6), and AUTH lines up to 12288 (RFC 4954 4). See docs/smtp.md.
constexpr std::size_t kMaxBasicLine = 512;
constexpr std::size_t kMaxExtendedLine = 1000;
constexpr std::size_t kMaxAuthLine = 12288;
constexpr std::size_t kMaxEnvid = 100;  // RFC 3461 4.4
constexpr std::size_t kMaxOrcpt = 500;  // RFC 3461 4.2

enum class Body { unspecified, seven_bit, eight_bit_mime, binary_mime };
enum class Ret { unspecified, full, headers };

struct MailParams {
  std::optional<std::uint64_t> size;
  Body body = Body::unspecified;
  bool smtputf8 = false;
  Ret ret = Ret::unspecified;
  std::optional<std::string> envid;  // decoded xtext
  std::optional<std::string> auth;   // decoded xtext: a mailbox or "<>"
  int count = 0;                     // how many parameters were given
};

// NOTIFY= bits (RFC 3461 4.1).
constexpr unsigned notify_never = 1, notify_success = 2, notify_failure = 4, notify_delay = 8;

// "NEVER", or a comma list of SUCCESS, FAILURE, DELAY (any case); nullopt otherwise.
std::optional<unsigned> parse_notify(std::string_view text);
// The bits as NOTIFY's value, upper case ("SUCCESS,FAILURE"); "" for none.
std::string notify_text(unsigned bits);

struct RcptParams {
  unsigned notify = 0;
  std::string orcpt_type;  // "rfc822", "utf-8", ...
  std::string orcpt;       // decoded xtext
  int count = 0;
};

struct Ehlo {
  std::string domain;    // a domain or an address literal
  bool extended = true;  // EHLO, not HELO
};
struct Mail {
  Mailbox sender;
  MailParams params;
};
struct Rcpt {
  Mailbox recipient;
  RcptParams params;
};
struct Data {};
struct Bdat {
  std::uint64_t size = 0;
  bool last = false;
};
struct Rset {};
struct Noop {};
struct Quit {};
struct Vrfy {
  std::string argument;
};
struct Help {
  std::string topic;
};
struct Starttls {};
struct Auth {
  std::string mechanism;               // upper case
  std::optional<std::string> initial;  // still base64; "=" is an empty response
};

using Command =
    std::variant<Ehlo, Mail, Rcpt, Data, Bdat, Rset, Noop, Quit, Vrfy, Help, Starttls, Auth>;

struct ParseContext {
  bool smtputf8 = false;  // given on the MAIL of the current transaction
};

Parsed<Command> parse_command(std::string_view line, const ParseContext& context = {});

// One per command; `args` is what follows the verb (with its leading space).
Parsed<Command> parse_ehlo(std::string_view args, bool extended);
Parsed<Command> parse_mail(std::string_view args);
Parsed<Command> parse_rcpt(std::string_view args, const ParseContext& context);
Parsed<Command> parse_bdat(std::string_view args);
Parsed<Command> parse_auth(std::string_view args);

// The verb of a command line, upper case, for error counting and logs.
std::string command_verb(std::string_view line);

}  // namespace appliance::smtp
