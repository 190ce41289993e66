// NAME
//   summary.h - what IMAP needs of a message, worked out once at delivery.
//
// DESCRIPTION
//   summarize() parses a message (GMime 3) and returns its Summary
//   serialised for NewMessage::summary: ENVELOPE, BODY and BODYSTRUCTURE
//   already rendered in IMAP syntax, the byte ranges of every MIME part so
//   BODY[section] is a slice of the stored bytes, the Date: header, the
//   decoded address and subject fields SEARCH compares, and the header
//   block itself when it is not huge. FETCH then never
//   parses the message again. parse() reads a serialised summary back;
//   find() resolves a section's part numbers (RFC 9051 6.4.5).
//
//   Pure: reads only its string_view, no I/O. Input is untrusted (any bytes
//   a client sends or an SMTP peer delivers); nesting is bounded by
//   kMaxDepth and a message without any MIME sense still gets a summary
//   (text/plain, one part).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace appliance::mime {

constexpr int kMaxDepth = 32;

// One MIME entity: a message, an encapsulated message, or a body part.
struct Part {
  std::uint64_t header_begin = 0;  // [header_begin, body_begin): the header and its blank line
  std::uint64_t body_begin = 0;
  std::uint64_t end = 0;
  bool multipart = false;  // parts: the children
  bool message = false;    // message/rfc822: parts[0] is the encapsulated message
  std::string encoding;    // Content-Transfer-Encoding, lower case; empty: 7bit
  std::vector<Part> parts;
};

struct Summary {
  std::string envelope;       // "(date subject from ...)" as FETCH ENVELOPE sends it
  std::string body;           // FETCH BODY
  std::string bodystructure;  // FETCH BODYSTRUCTURE
  Part root;                  // the whole message
  std::int64_t date = 0;      // Date: as unix seconds; 0 when absent or unreadable
  // Decoded to UTF-8, for SEARCH FROM/TO/CC/BCC/SUBJECT.
  std::string from, to, cc, bcc, subject;
  // The message's own header block, [root.header_begin, root.body_begin),
  // when it is at most kMaxCachedHeader bytes: BODY[HEADER] and
  // BODY[HEADER.FIELDS (...)], what a client's message list asks for, then
  // need no blob. Absent in summaries made before it was kept.
  std::optional<std::string> header;
};

constexpr std::size_t kMaxCachedHeader = 65536;

Result<Summary> analyse(std::string_view message);

namespace testing {
// analyse() always through GMime's parse of the message: what its path for
// simple headers (simple_header.h) must agree with.
Result<Summary> analyse_with_gmime(std::string_view message);
}  // namespace testing
std::string serialize(const Summary& s);
Result<Summary> parse(std::string_view serialized);

// analyse() then serialize(): what a message's NewMessage::summary holds.
Result<std::string> summarize(std::string_view message);

// The entity a section's part numbers name, or null. {} is the message;
// {1} of a single-part message is its body; past a message/rfc822 part the
// numbers go into the encapsulated message. `entity` tells whether the
// result is a message (root or encapsulated), to which HEADER and TEXT apply.
const Part* find(const Part& root, const std::vector<std::uint32_t>& numbers, bool* entity);

// A part's body without its Content-Transfer-Encoding (FETCH BINARY, RFC 3516):
// base64 and quoted-printable decoded, 7bit/8bit/binary as they are; an error
// for an encoding it does not know (the client gets [UNKNOWN-CTE]).
Result<std::string> decode(std::string_view body, std::string_view encoding);

}  // namespace appliance::mime
