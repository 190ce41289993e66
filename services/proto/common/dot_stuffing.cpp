// NAME
//   dot_stuffing.cpp - CRLF line ends, doubled leading dots, the final ".".
#include "proto/common/dot_stuffing.h"

namespace appliance {

std::string DotStuffer::put(std::string_view piece) {
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

std::string DotStuffer::finish() {
  std::string out = line_start_ ? "" : "\r\n";
  line_start_ = true;
  after_cr_ = false;
  return out + ".\r\n";
}

}  // namespace appliance
