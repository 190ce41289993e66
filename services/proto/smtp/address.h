// NAME
//   address.h - mailboxes, paths and domains of RFC 5321 4.1.2.
//
// DESCRIPTION
//   parse_path() reads "<...>" at the start of its input: the null path "<>"
//   (only where allowed), an optional source route ("@a,@b:", accepted and
//   dropped, RFC 5321 C), and a mailbox: a dot-string or quoted-string local
//   part, "@", and a domain or an address literal. UTF-8 (RFC 6531) is accepted
//   in the local part and the domain only when the caller says SMTPUTF8 was
//   given. Limits: local part 64 octets, domain 255, labels 63, path 256.
//   Nothing is read past the string_view.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "proto/smtp/reply.h"

namespace appliance::smtp {

constexpr std::size_t kMaxLocalPart = 64;
constexpr std::size_t kMaxDomain = 255;
constexpr std::size_t kMaxLabel = 63;
constexpr std::size_t kMaxPath = 256;

struct Mailbox {
  std::string local;   // decoded: quotes and quoted-pairs removed
  std::string domain;  // a domain, "[literal]", or empty for <> and <postmaster>
  bool null() const { return local.empty() && domain.empty(); }
  // local@domain, with the local part quoted again where a dot-string cannot hold it.
  std::string text() const;
};

struct PathOptions {
  bool utf8 = false;        // SMTPUTF8 was given for this transaction
  bool allow_null = false;  // "<>": MAIL only
  bool postmaster = false;  // "<postmaster>" without domain: RCPT only (RFC 5321 4.5.1)
};

enum class PathFault { none, syntax, too_long, needs_utf8 };

struct PathResult {
  Mailbox mailbox;
  std::size_t used = 0;  // octets of input taken, "<" to ">"
  PathFault fault = PathFault::none;
  std::string why;  // for the reply text
};

PathResult parse_path(std::string_view text, const PathOptions& options);

// MAIL and RCPT arguments after the colon: "<path>" then " params". The
// path may hold UTF-8 here; the caller refuses it without SMTPUTF8.
struct PathArgs {
  Mailbox mailbox;
  std::string_view params;  // the rest of the line, after the path
  bool ascii = true;
};
// `status` is the enhanced code for a bad address: 5.1.7 sender, 5.1.3 recipient.
Parsed<PathArgs> read_path_args(std::string_view text, PathOptions options,
                                std::string_view status);
Reply needs_smtputf8();

bool valid_domain(std::string_view domain, bool utf8);
// "[1.2.3.4]", "[IPv6:...]" or "[tag:content]".
bool valid_address_literal(std::string_view literal);
bool valid_utf8(std::string_view text);
bool is_ascii(std::string_view text);

}  // namespace appliance::smtp
