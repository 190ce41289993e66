// NAME
//   canon.cpp - simple and relaxed canonicalization, streamed for bodies.
#include "proto/dkim/canon.h"

#include <algorithm>

#include "proto/common/ascii.h"

namespace appliance::dkim {

namespace {

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

// Unfolds, reduces white space runs to one space, trims both ends.
std::string relaxed_value(std::string_view value) {
  std::string out;
  bool space = false;
  for (char c : value) {
    if (c == '\r' || c == '\n') continue;
    if (is_wsp(c)) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace

std::string canon_header(Canon c, std::string_view field) {
  if (c == Canon::simple) {
    std::string out(field);
    if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
    return out;
  }
  auto colon = field.find(':');
  std::string_view name = field.substr(0, colon);
  while (!name.empty() && is_wsp(name.back())) name.remove_suffix(1);
  std::string out;
  std::transform(name.begin(), name.end(), std::back_inserter(out), ascii::lower);
  out += ':';
  if (colon != std::string_view::npos) out += relaxed_value(field.substr(colon + 1));
  out += "\r\n";
  return out;
}

BodyCanon::BodyCanon(Canon canon, Sink sink, std::optional<std::uint64_t> limit)
    : canon_(canon), sink_(std::move(sink)), limit_(limit) {}

void BodyCanon::write(std::string_view bytes) {
  for (char c : bytes) {
    if (cr_) {
      cr_ = false;
      if (c == '\n') {
        end_of_line();
        continue;
      }
      content('\r');  // a CR alone is part of the line
    }
    if (c == '\r')
      cr_ = true;
    else if (canon_ == Canon::relaxed && is_wsp(c))
      wsp_ = true;
    else
      content(c);
  }
  if (out_.size() >= 4096) flush();
}

void BodyCanon::content(char c) {
  if (!line_started_) {
    for (; empty_lines_ > 0; --empty_lines_) emit("\r\n");
    line_started_ = true;
  }
  if (wsp_) {
    wsp_ = false;
    emit(" ");
  }
  out_ += c;
  ++length_;
}

void BodyCanon::end_of_line() {
  wsp_ = false;  // white space at the end of a line is dropped (relaxed)
  if (!line_started_) {
    ++empty_lines_;
    return;
  }
  emit("\r\n");
  line_started_ = false;
}

void BodyCanon::emit(std::string_view s) {
  out_ += s;
  length_ += s.size();
}

void BodyCanon::finish() {
  if (cr_) {
    cr_ = false;
    content('\r');
  }
  if (line_started_) end_of_line();
  if (canon_ == Canon::simple && length_ == 0) emit("\r\n");
  flush();
}

void BodyCanon::flush() {
  if (out_.empty()) return;
  std::uint64_t before = length_ - out_.size();
  std::string_view s = out_;
  if (limit_) {
    std::uint64_t room = *limit_ > before ? *limit_ - before : 0;
    if (s.size() > room) s = s.substr(0, room);
  }
  if (!s.empty()) sink_(s);
  out_.clear();
}

}  // namespace appliance::dkim
