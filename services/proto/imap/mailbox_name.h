// NAME
//   mailbox_name.h - mailbox names on the wire: modified UTF-7 and UTF-8.
//
// DESCRIPTION
//   Before a client enables UTF8=ACCEPT, mailbox names travel in modified
//   UTF-7 (RFC 3501 5.1.3); after it, as UTF-8 (RFC 6855). Inside the
//   appliance a name is always UTF-8. decode_mailbox() refuses names that
//   are not canonical modified UTF-7 (a "&" run that encodes printable ASCII,
//   two runs side by side, bad padding, unpaired surrogates), so one folder
//   has one spelling; it also writes INBOX in any case as "INBOX" (RFC 9051 5.1).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace appliance::imap {

Result<std::string> mutf7_decode(std::string_view wire);
std::string mutf7_encode(std::string_view utf8);

// A name from a command, to UTF-8; `utf8` says UTF8=ACCEPT is enabled.
Result<std::string> decode_mailbox(std::string_view wire, bool utf8);
// A name for a response.
std::string encode_mailbox(std::string_view utf8_name, bool utf8);

}  // namespace appliance::imap
