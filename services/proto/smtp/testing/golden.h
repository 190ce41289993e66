// NAME
//   golden.h - runs a dialogue script against a Session and prints the transcript.
//
// DESCRIPTION
//   A script (golden/*.in) has one step per line:
//     # text              a comment, copied
//     @config k=v ...     before the first step: mode=mx|submission,
//                         tls=available|none|implicit, max_size=, max_recipients=,
//                         max_errors=, max_line=, max_buffered=, hostname=
//     @greet              the server sends its greeting
//     > text              the client sends text and CRLF
//     >> text             the client sends text as is; \r \n \t \\ \xHH escapes
//     @accept [detail]    the server layer accepts the pending question
//     @refuse code status text   ... or refuses it with that reply
//     @shutdown text      the server closes with 421
//   The transcript copies each step and, under it, what the session emitted:
//   "< " reply lines, "* " events. golden_test diffs it against golden/*.ref.
#pragma once

#include <string>
#include <string_view>

namespace appliance::smtp::testing {

std::string run_script(std::string_view script);

}  // namespace appliance::smtp::testing
