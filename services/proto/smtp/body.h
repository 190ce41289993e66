// NAME
//   body.h - streaming readers for message bodies sent with DATA and BDAT.
//
// DESCRIPTION
//   DataReader decodes a DATA body as it arrives: it removes dot-stuffing,
//   finds the end "<CRLF>.<CRLF>" and hands the body to a sink in pieces; it
//   never holds the whole message. ChunkReader does the accounting for BDAT
//   chunks (RFC 3030): exact octet counts across chunks.
//
//   Both refuse, without stopping to read:
//   - a bare LF or a bare CR anywhere (SMTP smuggling; RFC 5321 2.3.8): only
//     CRLF ends a line, so "\n.\n", "\r.\r" and the like never end a message;
//   - a line longer than max_line octets with its CRLF (RFC 5321 4.5.3.1.6);
//   - a body larger than max_size (RFC 1870): storing stops, reading goes on.
//   Once refused, the sink gets nothing more; DataReader still reads up to the
//   real end of data, so the session stays in step with the client, and then
//   refusal() is the reply to send. BODY=BINARYMIME chunks are not checked
//   for line ends or lengths (RFC 3030 3).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "proto/smtp/reply.h"

namespace appliance::smtp {

struct BodyLimits {
  std::uint64_t max_size = 0;
  std::size_t max_line = 1000;  // octets, CRLF included
  bool binary = false;          // BODY=BINARYMIME: no line rules
};

using BodySink = std::function<void(std::string_view)>;

// Strict line ends over a stream of bytes.
class LineCheck {
 public:
  enum class Step { byte, line_end, bare_lf, bare_cr, long_line };
  explicit LineCheck(std::size_t max_line) : max_line_(max_line) {}
  Step take(char c);
  // How many of the first bytes take() would answer Step::byte one by one,
  // none CR or LF, counted as taken: ordinary text, passed over in one go.
  std::size_t take_text(std::string_view bytes);
  // At the end of a body: a CR still waiting for its LF is bare.
  Step finish() const { return cr_ ? Step::bare_cr : Step::byte; }

 private:
  std::size_t max_line_;
  std::size_t length_ = 0;
  bool cr_ = false;
};

// What both readers share: counting, the size limit and the first refusal.
class BodyAccount {
 public:
  std::uint64_t size() const { return size_; }
  const std::optional<Reply>& refusal() const { return refusal_; }

 protected:
  BodyAccount(const BodyLimits& limits, BodySink sink)
      : limits_(limits), sink_(std::move(sink)), lines_(limits.max_line) {}
  void emit(std::string_view bytes);
  void note(LineCheck::Step step);

  BodyLimits limits_;
  BodySink sink_;
  LineCheck lines_;

 private:
  std::uint64_t size_ = 0;
  std::optional<Reply> refusal_;
};

class DataReader : public BodyAccount {
 public:
  DataReader(const BodyLimits& limits, BodySink sink) : BodyAccount(limits, std::move(sink)) {}
  // Takes bytes up to and including the end of data; returns how many.
  std::size_t feed(std::string_view in);
  bool done() const { return done_; }

 private:
  enum class State { line_start, dot, dot_cr, text };
  void step(char c, std::string& out);

  State state_ = State::line_start;
  bool done_ = false;
};

class ChunkReader : public BodyAccount {
 public:
  ChunkReader(const BodyLimits& limits, BodySink sink) : BodyAccount(limits, std::move(sink)) {}
  void begin_chunk(std::uint64_t size, bool last);
  // Takes at most the rest of the current chunk; returns how many.
  std::size_t feed(std::string_view in);
  bool chunk_done() const { return remaining_ == 0; }
  bool last() const { return last_; }
  std::uint64_t chunk_size() const { return chunk_size_; }

 private:
  std::uint64_t remaining_ = 0;
  std::uint64_t chunk_size_ = 0;
  bool last_ = false;
};

}  // namespace appliance::smtp
