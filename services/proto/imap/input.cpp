// NAME
//   input.cpp - framing lines and literals into commands, with limits.
#include "proto/imap/input.h"

#include "proto/imap/syntax.h"

namespace appliance::imap {

namespace {

struct Literal {
  std::uint64_t size = 0;
  bool sync = true;
};

// "... {123}", "... {123+}" or "... ~{123}" at the end of a line (CR removed).
std::optional<Literal> literal_suffix(std::string_view line) {
  if (line.empty() || line.back() != '}') return std::nullopt;
  auto open = line.rfind('{');
  if (open == std::string_view::npos) return std::nullopt;
  std::string_view digits = line.substr(open + 1, line.size() - open - 2);
  Literal lit;
  if (!digits.empty() && digits.back() == '+') {
    lit.sync = false;
    digits.remove_suffix(1);
  }
  if (digits.empty() || digits.size() > 18) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    lit.size = lit.size * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return lit;
}

}  // namespace

std::optional<Input> CommandReader::next() {
  for (;;) {
    if (skipping_) {
      auto lf = buf_.find('\n');
      consume(lf == std::string::npos ? buf_.size() : lf + 1);
      skipping_ = lf == std::string::npos;
      if (skipping_) return std::nullopt;
    }
    if (literal_ > buf_.size() - scan_) return std::nullopt;
    scan_ += literal_;
    literal_ = 0;
    auto result = scan_line();
    if (result || literal_ == 0) return result;
  }
}

// Reads the line at scan_: a whole command, a literal to wait for, or a refusal.
std::optional<Input> CommandReader::scan_line() {
  std::size_t lf = buf_.find('\n', std::max(scan_, searched_));
  if (lf == std::string::npos) {
    searched_ = buf_.size();
    if (buf_.size() - scan_ > limits_.max_line) return refuse("BAD", "Line too long", false);
    return std::nullopt;
  }
  if (lf - scan_ > limits_.max_line) return refuse("BAD", "Line too long", false);
  std::size_t end = lf > scan_ && buf_[lf - 1] == '\r' ? lf - 1 : lf;
  auto lit = literal_suffix(std::string_view(buf_).substr(scan_, end - scan_));
  if (lit) return literal_announced(lf, lit->size, lit->sync);
  input::Complete c{buf_.substr(0, end)};
  consume(lf + 1);
  return c;
}

std::optional<Input> CommandReader::literal_announced(std::size_t lf, std::uint64_t size,
                                                      bool sync) {
  bool too_big = size > limits_.max_literal || lf + 1 + size > limits_.max_command;
  if (too_big && sync) {
    // The client waits for "+": dropping the line drops the whole command.
    return refuse("NO", "[TOOBIG] Literal too large", false);
  }
  // LITERAL+ data is on its way already: the stream cannot be resynchronised.
  if (too_big) return refuse("BAD", "[TOOBIG] Literal too large", true);
  scan_ = lf + 1;
  literal_ = size;
  if (sync) return input::Continue{};
  return std::nullopt;
}

std::optional<Input> CommandReader::refuse(std::string kind, std::string text, bool close) {
  input::Refused r{tag_of_command(), std::move(kind), std::move(text), close};
  // Drop the command read so far and what is left of the offending line.
  consume(scan_);
  literal_ = 0;
  skipping_ = true;
  if (close) clear();
  return r;
}

std::string CommandReader::tag_of_command() const {
  std::size_t n = 0;
  while (n < buf_.size() && n < 64 && is_astring_char(buf_[n]) && buf_[n] != '+') ++n;
  if (n == 0 || n == buf_.size() || buf_[n] != ' ') return {};
  return buf_.substr(0, n);
}

std::optional<std::string> CommandReader::next_line() {
  auto lf = buf_.find('\n');
  if (lf == std::string::npos) {
    if (buf_.size() <= limits_.max_line) return std::nullopt;
    lf = buf_.size();  // over-long: hand it over whole, so it is refused
    skipping_ = true;
  }
  std::size_t end = lf > 0 && buf_[lf - 1] == '\r' ? lf - 1 : lf;
  std::string line = buf_.substr(0, end);
  consume(std::min(lf + 1, buf_.size()));
  return line;
}

void CommandReader::drop_command() {
  consume(scan_);
  literal_ = 0;
}

void CommandReader::clear() {
  buf_.clear();
  scan_ = searched_ = 0;
  literal_ = 0;
  skipping_ = false;
}

void CommandReader::consume(std::size_t n) {
  buf_.erase(0, n);
  scan_ = scan_ > n ? scan_ - n : 0;
  searched_ = searched_ > n ? searched_ - n : 0;
}

}  // namespace appliance::imap
