// NAME
//   dot_stuffing.h - data sent between a command and a lone "." line.
//
// DESCRIPTION
//   SMTP's DATA (RFC 5321 4.5.2) and POP3's multi-line replies (RFC 1939 3)
//   carry a message the same way: lines end with CRLF, a line that starts
//   with "." gets a second one, and ".\r\n" ends it. DotStuffer does that to
//   data that comes in pieces (a message streamed from the store): a bare LF
//   or CR is completed to CRLF (so nothing sent can form a smuggled end of
//   data), and its state carries a line start or a CR across the cut
//   between two pieces, so the output is the same however the data is cut.
//   Pure: used by pop3 (RETR, TOP) and deliverd (DATA).
#pragma once

#include <string>
#include <string_view>

namespace appliance {

class DotStuffer {
 public:
  // The piece dot-stuffed, with its line ends as CRLF.
  std::string put(std::string_view piece);
  // Completes the last line and adds the terminating ".".
  std::string finish();

 private:
  bool line_start_ = true;
  bool after_cr_ = false;  // a CR ended the last piece: a LF first in the next is its pair
};

}  // namespace appliance
