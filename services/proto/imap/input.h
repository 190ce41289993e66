// NAME
//   input.h - CommandReader: frames client bytes into whole IMAP commands.
//
// DESCRIPTION
//   An IMAP command is one or more lines: a line that ends with a literal
//   announcement {n} (synchronising), {n+} (LITERAL+, RFC 7888) or ~{n}
//   (literal8) is followed by n octets and then the rest of the command.
//   feed() appends bytes; next() returns, in order:
//     Complete   a whole command, lines joined by CRLF, literals in place,
//                without the final CRLF, ready for parse_command();
//     Continue   the client waits for "+" before sending a literal;
//     Refused    a line or literal over its limit, with the response to send;
//                `close` when the stream cannot be resynchronised;
//     nullopt    more bytes are needed.
//   Bare LF ends a line as CRLF does (clients that type by hand send it; the
//   octet count of a literal is what keeps message data apart from commands).
//   Limits are checked when a line or a literal is announced, before the bytes
//   are buffered.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace appliance::imap {

struct InputLimits {
  std::size_t max_line = 8192;            // one line, without literals
  std::uint64_t max_literal = 50u << 20;  // one literal (APPEND: one message)
  std::uint64_t max_command = 64u << 20;  // lines and literals together
};

namespace input {
struct Complete {
  std::string text;
};
struct Continue {};
struct Refused {
  std::string tag;   // empty: untagged
  std::string kind;  // "BAD", "NO" or "BYE"
  std::string text;  // with its response code, e.g. "[TOOBIG] ..."
  bool close = false;
};
}  // namespace input

using Input = std::variant<input::Complete, input::Continue, input::Refused>;

class CommandReader {
 public:
  explicit CommandReader(InputLimits limits = {}) : limits_(limits) {}

  void feed(std::string_view bytes) { buf_.append(bytes); }
  std::optional<Input> next();
  // Plain lines (SASL responses, DONE): no literals are recognised.
  std::optional<std::string> next_line();
  // STARTTLS: nothing sent before the handshake may be read after it.
  void clear();
  // The command being read, up to its first literal: "a1 LOGIN alice {6}".
  std::string_view partial_command() const { return std::string_view(buf_).substr(0, scan_); }
  // Gives up the command being read while it waits for a continuation: the
  // client sends nothing more of it.
  void drop_command();
  // The tag of the command being read, if it has a readable one.
  std::string tag_of_command() const;
  std::size_t buffered() const { return buf_.size(); }

 private:
  std::optional<Input> scan_line();
  std::optional<Input> literal_announced(std::size_t lf, std::uint64_t size, bool sync);
  std::optional<Input> refuse(std::string kind, std::string text, bool close);
  void consume(std::size_t n);

  InputLimits limits_;
  std::string buf_;            // unread bytes; the command being read starts at 0
  std::size_t scan_ = 0;       // bytes of the command already framed
  std::size_t searched_ = 0;   // no LF in buf_ before this: a slow line is scanned once
  std::uint64_t literal_ = 0;  // literal octets still to come
  bool skipping_ = false;      // after an over-long line, until its LF
};

}  // namespace appliance::imap
