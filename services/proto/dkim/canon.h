// NAME
//   canon.h - DKIM canonicalization (RFC 6376 3.4): header fields and bodies.
//
// DESCRIPTION
//   canon_header() turns one header field, as it appears in the message
//   ("Name: value\r\n", folded or not), into what is hashed: unchanged for
//   simple; for relaxed the name lower-cased, the value unfolded, runs of
//   white space made one space, white space at its ends and around the colon
//   removed, then CRLF.
//
//   BodyCanon streams a body: write() takes it in pieces of any size and
//   passes the canonical bytes on to a sink, holding back only the empty
//   lines (and, for relaxed, the white space) that may turn out to be at the
//   end. finish() ends it: simple turns an empty body into one CRLF, both add
//   a CRLF to a last line without one, relaxed leaves an empty body empty.
//   A length limit (l=, verification only) stops what reaches the sink.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace appliance::dkim {

enum class Canon { simple, relaxed };

std::string canon_header(Canon c, std::string_view field);

class BodyCanon {
 public:
  using Sink = std::function<void(std::string_view)>;
  BodyCanon(Canon canon, Sink sink, std::optional<std::uint64_t> limit = std::nullopt);

  void write(std::string_view bytes);
  void finish();
  // Canonical bytes produced in all, limit or not.
  std::uint64_t length() const { return length_; }

 private:
  void content(char c);
  void end_of_line();
  void emit(std::string_view s);
  void flush();

  Canon canon_;
  Sink sink_;
  std::optional<std::uint64_t> limit_;
  std::uint64_t length_ = 0;
  std::uint64_t empty_lines_ = 0;  // held back: maybe at the end
  bool cr_ = false;                // a CR waiting for its LF
  bool wsp_ = false;               // relaxed: white space waiting for content
  bool line_started_ = false;
  std::string out_;
};

}  // namespace appliance::dkim
