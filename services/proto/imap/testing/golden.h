// NAME
//   golden.h - runs a dialogue script against an IMAP Session, prints the transcript.
//
// DESCRIPTION
//   A script (golden/*.in) has one step per line:
//     # text              a comment, copied
//     @config k=v ...     before the first step: tls=available|none|implicit,
//                         login_needs_tls=0|1, max_line=, max_literal=,
//                         max_queued=, max_errors=, max_auth_failures=
//     @greet              the server sends its greeting
//     > text              the client sends text and CRLF (">" alone: CRLF)
//     >> text             the client sends text as is; \r \n \t \\ \xHH escapes
//     @untagged text      a line (CRLF added) for the next answer's untagged data
//     @ok|@no|@bad [code] text   the server layer answers the pending request;
//                         [code] is optional; for a login, @ok account
//     @push text          an unsolicited untagged line (CRLF added)
//     @shutdown text      the server closes with BYE
//   The transcript copies each step and, under it, what the session emitted:
//   "S: " response lines, "* " events (requests with their parsed arguments).
#pragma once

#include <string>
#include <string_view>

#include "proto/imap/command.h"

namespace appliance::imap::testing {

std::string run_script(std::string_view script);
// A one-line description of a parsed command, for transcripts and tests.
std::string describe(const Command& c);

}  // namespace appliance::imap::testing
