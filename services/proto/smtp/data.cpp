// NAME
//   data.cpp - the DATA body: dot-unstuffing, the end of data, line rules.
#include <fmt/format.h>

#include <algorithm>

#include "proto/smtp/body.h"

namespace appliance::smtp {

LineCheck::Step LineCheck::take(char c) {
  Step step = Step::byte;
  if (cr_) {
    cr_ = false;
    if (c == '\n') {
      length_ = 0;
      return Step::line_end;
    }
    step = Step::bare_cr;  // and c is still looked at below
  }
  if (c == '\r') {
    cr_ = true;
  } else if (c == '\n') {
    return Step::bare_lf;
  } else if (++length_ + 2 > max_line_) {
    return Step::long_line;
  }
  return step;
}

std::size_t LineCheck::take_text(std::string_view bytes) {
  if (cr_ || length_ + 2 >= max_line_) return 0;
  std::size_t n = std::min(max_line_ - 2 - length_, bytes.size());
  // A plain loop: find_first_of() calls memchr on its set for every byte.
  for (std::size_t i = 0; i < n; ++i)
    if (bytes[i] == '\r' || bytes[i] == '\n') n = i;
  length_ += n;
  return n;
}

void BodyAccount::emit(std::string_view bytes) {
  size_ += bytes.size();
  if (!refusal_ && size_ > limits_.max_size)
    refusal_ = make_reply(552, "5.3.4", "Message size exceeds fixed maximum message size");
  if (!refusal_ && !bytes.empty()) sink_(bytes);
}

void BodyAccount::note(LineCheck::Step step) {
  if (refusal_) return;  // the first problem is the one reported
  switch (step) {
    case LineCheck::Step::bare_lf:
      refusal_ = make_reply(550, "5.6.0", "Message refused: bare LF; lines must end with CRLF");
      break;
    case LineCheck::Step::bare_cr:
      refusal_ = make_reply(550, "5.6.0", "Message refused: bare CR; lines must end with CRLF");
      break;
    case LineCheck::Step::long_line:
      refusal_ =
          make_reply(550, "5.6.0",
                     fmt::format("Message refused: line longer than {} octets", limits_.max_line));
      break;
    default:
      break;
  }
}

std::size_t DataReader::feed(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  std::size_t i = 0;
  while (i < in.size() && !done_) {
    // Text within a line, not a leading dot: no state to change but the line's length.
    if (state_ == State::text || (state_ == State::line_start && in[i] != '.')) {
      if (std::size_t n = lines_.take_text(in.substr(i)); n > 0) {
        out.append(in.substr(i, n));
        i += n;
        state_ = State::text;
        continue;
      }
    }
    step(in[i++], out);
  }
  emit(out);
  return i;
}

void DataReader::step(char c, std::string& out) {
  switch (state_) {
    case State::line_start:
      if (c == '.') {
        state_ = State::dot;
        return;
      }
      break;
    case State::dot:
      // ".\r" may end the data; any other dot was stuffed (RFC 5321 4.5.2) and goes.
      if (c == '\r') {
        state_ = State::dot_cr;
        return;
      }
      break;
    case State::dot_cr:
      if (c == '\n') {
        done_ = true;
        return;
      }
      note(LineCheck::Step::bare_cr);
      break;
    case State::text:
      break;
  }
  LineCheck::Step s = lines_.take(c);
  note(s);
  state_ = s == LineCheck::Step::line_end ? State::line_start : State::text;
  out += c;
}

}  // namespace appliance::smtp
