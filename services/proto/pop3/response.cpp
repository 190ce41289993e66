// NAME
//   response.cpp - status lines, dot-stuffing and TOP.
#include "proto/pop3/response.h"

namespace appliance::pop3 {

namespace {

std::string safe(std::string_view s) {
  std::string out(s.substr(0, 500));
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

}  // namespace

std::string ok(std::string_view text) {
  return text.empty() ? "+OK\r\n" : "+OK " + safe(text) + "\r\n";
}

std::string err(std::string_view text, std::string_view code) {
  std::string out = "-ERR ";
  if (!code.empty()) out += "[" + safe(code) + "] ";
  return out + safe(text) + "\r\n";
}

std::string multiline(std::string_view data) {
  Multiline m;
  std::string out = m.put(data);
  return out + m.finish();
}

std::string top(std::string_view message, std::uint32_t lines) {
  TopCut cut(lines);
  return std::string(cut.take(message));
}

std::string Multiline::put(std::string_view piece) {
  if (piece.empty()) return {};
  std::string out;
  out.reserve(piece.size() + piece.size() / 64 + 8);
  std::size_t at = 0;
  if (after_cr_ && !piece.empty() && piece[0] == '\n') at = 1;
  after_cr_ = false;
  while (at < piece.size()) {
    std::size_t end = piece.find_first_of("\r\n", at);
    if (end == std::string_view::npos) end = piece.size();
    if (end > at) {
      if (line_start_ && piece[at] == '.') out += '.';
      out.append(piece.substr(at, end - at));
      line_start_ = false;
    }
    if (end == piece.size()) break;
    out += "\r\n";  // a CRLF, or a bare CR or LF completed to one
    line_start_ = true;
    at = end + 1;
    if (piece[end] == '\r') {
      if (at == piece.size()) after_cr_ = true;
      else if (piece[at] == '\n') ++at;
    }
  }
  return out;
}

std::string Multiline::finish() {
  std::string out = line_start_ ? "" : "\r\n";
  line_start_ = true;
  after_cr_ = false;
  return out + ".\r\n";
}

// Lines end at CRLF, CR or LF; the header ends at the first empty line.
std::string_view TopCut::take(std::string_view piece) {
  if (done_) return {};
  for (std::size_t i = 0; i < piece.size(); ++i) {
    char c = piece[i];
    bool pair = after_cr_ && c == '\n';
    after_cr_ = c == '\r';
    if (pair) continue;
    if (c != '\r' && c != '\n') {
      line_empty_ = false;
      continue;
    }
    if (in_body_) ++body_lines_;
    if (!in_body_ && line_empty_) in_body_ = true;
    line_empty_ = true;
    if (in_body_ && body_lines_ == lines_) {
      // Keep the LF of a CRLF with its CR.
      std::size_t keep = i + 1 < piece.size() && c == '\r' && piece[i + 1] == '\n' ? i + 2 : i + 1;
      done_ = true;
      return piece.substr(0, keep);
    }
  }
  return piece;
}

}  // namespace appliance::pop3
