// NAME
//   client_reply.h - SMTP replies as a client reads them (RFC 5321 4.2).
//
// DESCRIPTION
//   The client side of proto/smtp, used by deliverd. ReplyReader takes the
//   bytes a server sends and yields whole replies: one or more lines
//   "ddd-text" ending with "ddd text" (or a bare "ddd"), every line with the
//   same code. The enhanced status code (RFC 3463) is split off when the
//   text starts with one whose class matches the code's first digit.
//
//   Pure and bounded: a line longer than kMaxReplyLine, a reply of more than
//   kMaxReplyLines lines, a code out of range or lines of differing codes is
//   an error naming the fault; the caller then drops the connection. A line
//   may end with LF alone (lenient: servers' replies are not a smuggling
//   vector for a client).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace appliance::smtp {

constexpr std::size_t kMaxReplyLine = 4096;
constexpr std::size_t kMaxReplyLines = 128;

struct ServerReply {
  int code = 0;
  std::string enhanced;            // "2.1.5", or empty
  std::vector<std::string> lines;  // each line's text, without code, separator and enhanced code

  bool positive() const { return code >= 200 && code < 400; }
  bool transient() const { return code >= 400 && code < 500; }
  bool permanent() const { return code >= 500; }
  // "250 2.1.5 text text", one line: for logs, the queue and bounces.
  std::string summary() const;
};

class ReplyReader {
 public:
  void feed(std::string_view bytes);
  // The next whole reply; nullopt while more bytes are needed.
  Result<std::optional<ServerReply>> next();
  std::size_t buffered() const { return buffer_.size() - at_; }

 private:
  std::string buffer_;
  std::size_t at_ = 0;
};

// Parses one reply given whole (its lines with their line ends).
Result<ServerReply> parse_reply(std::string_view text);

// The EHLO keywords of a reply to EHLO (every line after the first),
// upper-cased, each with its parameters: {"SIZE 1000", "STARTTLS"}.
std::vector<std::string> ehlo_keywords(const ServerReply& reply);
// Whether the EHLO reply offers `keyword` (case-insensitive, parameters ignored).
bool offers(const ServerReply& ehlo, std::string_view keyword);

}  // namespace appliance::smtp
