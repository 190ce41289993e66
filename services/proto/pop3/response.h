// NAME
//   response.h - POP3 replies: status lines and dot-stuffed multi-line data.
//
// DESCRIPTION
//   ok() and err() give "+OK text" and "-ERR [CODE] text" lines (response
//   codes: RFC 2449 8, RFC 3206); text is made safe on the way out (control
//   bytes become '?'), so no reply can be split or forged. multiline() turns
//   data into the body of a multi-line reply (RFC 1939 3): lines end with
//   CRLF (a bare LF or CR is completed), a line starting with "." gets a
//   second one, and ".\r\n" ends it. top() keeps the header and the first n
//   lines of the body, for TOP.
//
//   Multiline and TopCut do the same for data that comes in pieces (a
//   message streamed from the store): their state carries a line start, a
//   CR or a header across the cut between two pieces, so the output is the
//   same however the data is cut.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "proto/common/dot_stuffing.h"

namespace appliance::pop3 {

std::string ok(std::string_view text);
std::string err(std::string_view text, std::string_view code = {});
std::string multiline(std::string_view data);
std::string top(std::string_view message, std::uint32_t lines);

// The same transparency as SMTP's DATA (proto/common/dot_stuffing.h).
using Multiline = DotStuffer;

class TopCut {
 public:
  explicit TopCut(std::uint32_t lines) : lines_(lines) {}
  // The part of the piece to keep; empty once done().
  std::string_view take(std::string_view piece);
  bool done() const { return done_; }

 private:
  std::uint32_t lines_;
  std::uint32_t body_lines_ = 0;
  bool in_body_ = false;
  bool line_empty_ = true;
  bool after_cr_ = false;
  bool done_ = false;
};

}  // namespace appliance::pop3
