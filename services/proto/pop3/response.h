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
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace appliance::pop3 {

std::string ok(std::string_view text);
std::string err(std::string_view text, std::string_view code = {});
std::string multiline(std::string_view data);
std::string top(std::string_view message, std::uint32_t lines);

}  // namespace appliance::pop3
