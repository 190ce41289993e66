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
