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

// The end of the line that starts at `from`, and where the next one starts.
std::pair<std::size_t, std::size_t> line_end(std::string_view s, std::size_t from) {
  std::size_t i = s.find_first_of("\r\n", from);
  if (i == std::string_view::npos) return {s.size(), s.size()};
  if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') return {i, i + 2};
  return {i, i + 1};
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
  std::string out;
  out.reserve(data.size() + data.size() / 64 + 8);
  for (std::size_t at = 0; at < data.size();) {
    auto [end, next] = line_end(data, at);
    if (data[at] == '.') out += '.';
    out.append(data.substr(at, end - at));
    out += "\r\n";
    at = next;
  }
  return out + ".\r\n";
}

std::string top(std::string_view message, std::uint32_t lines) {
  std::size_t at = 0;
  bool in_body = false;
  std::uint32_t body_lines = 0;
  while (at < message.size() && !(in_body && body_lines == lines)) {
    auto [end, next] = line_end(message, at);
    if (in_body) ++body_lines;
    in_body = in_body || end == at;  // the empty line ends the header
    at = next;
  }
  return std::string(message.substr(0, at));
}

}  // namespace appliance::pop3
