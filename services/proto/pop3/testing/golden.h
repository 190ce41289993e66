// NAME
//   golden.h - runs a dialogue script against a POP3 Session, prints the transcript.
//
// DESCRIPTION
//   A script (golden/*.in) has one step per line:
//     # text              a comment, copied
//     @config k=v ...     before the first step: tls=available|none|implicit,
//                         login_needs_tls=0|1, max_errors=, max_auth_failures=,
//                         max_buffered=
//     @greet              the server sends its greeting
//     > text              the client sends text and CRLF
//     >> text             the client sends text as is; \r \n \t \\ \xHH escapes
//     @data text          a line (CRLF added) for the next answer's multi-line data
//     @ok [text]          the server layer accepts (a login: text is the account)
//     @err [CODE] text    ... or refuses
//     @shutdown text      the server closes
//   The transcript copies each step and, under it, what the session emitted:
//   "S: " reply lines, "* " events.
#pragma once

#include <string>
#include <string_view>

namespace appliance::pop3::testing {

std::string run_script(std::string_view script);

}  // namespace appliance::pop3::testing
