// NAME
//   client_reply.cpp - reading a server's replies, line by line.
#include "proto/smtp/client_reply.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace appliance::smtp {
namespace {

bool digit(char c) {
  return c >= '0' && c <= '9';
}

struct Line {
  int code = 0;
  bool last = true;
  std::string_view text;
};

Result<Line> parse_line(std::string_view line) {
  if (line.size() < 3 || !digit(line[0]) || !digit(line[1]) || !digit(line[2]))
    return make_error("reply line does not start with a 3-digit code");
  Line out;
  out.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  if (line[0] < '2' || line[0] > '5' || line[1] > '5')
    return make_error(fmt::format("reply code {} out of range", out.code));
  if (line.size() == 3) return out;
  if (line[3] != ' ' && line[3] != '-')
    return make_error("reply code not followed by a space or '-'");
  out.last = line[3] == ' ';
  out.text = line.substr(4);
  for (char c : out.text)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
      return make_error("control character in reply");
  return out;
}

// "d.d{1,3}.d{1,3} " at the start of text, whose class is the code's first digit.
std::size_t enhanced_length(std::string_view text, int code) {
  if (text.size() < 5 || text[0] != '0' + code / 100 || text[1] != '.') return 0;
  std::size_t i = 2;
  for (int part = 0; part < 2; ++part) {
    std::size_t start = i;
    while (i < text.size() && digit(text[i]) && i - start < 3) ++i;
    if (i == start) return 0;
    if (part == 0) {
      if (i >= text.size() || text[i] != '.') return 0;
      ++i;
    }
  }
  if (i < text.size() && text[i] != ' ') return 0;
  return i;
}

}  // namespace

std::string ServerReply::summary() const {
  std::string out = std::to_string(code);
  if (!enhanced.empty()) out += " " + enhanced;
  for (const auto& l : lines)
    if (!l.empty()) out += " " + l;
  return out;
}

void ReplyReader::feed(std::string_view bytes) {
  if (at_ > 0 && at_ == buffer_.size()) buffer_.clear(), at_ = 0;
  buffer_.append(bytes);
}

Result<std::optional<ServerReply>> ReplyReader::next() {
  std::size_t pos = at_;
  std::size_t lines = 0;
  for (;;) {
    auto nl = buffer_.find('\n', pos);
    if (nl == std::string::npos) {
      if (buffer_.size() - pos > kMaxReplyLine) return make_error("reply line too long");
      return std::optional<ServerReply>();
    }
    if (nl - pos + 1 > kMaxReplyLine) return make_error("reply line too long");
    if (++lines > kMaxReplyLines) return make_error("reply of too many lines");
    std::string_view raw = std::string_view(buffer_).substr(pos, nl - pos);
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    auto line = parse_line(raw);
    pos = nl + 1;
    if (!line) return line.error();
    if (line->last) break;
  }
  auto reply = parse_reply(std::string_view(buffer_).substr(at_, pos - at_));
  at_ = pos;
  if (!reply) return reply.error();
  return std::optional<ServerReply>(std::move(*reply));
}

Result<ServerReply> parse_reply(std::string_view text) {
  ServerReply out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view raw = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    auto line = parse_line(raw);
    if (!line) return line.error();
    if (out.code != 0 && line->code != out.code)
      return make_error(fmt::format("reply lines of codes {} and {}", out.code, line->code));
    out.code = line->code;
    std::string_view t = line->text;
    if (std::size_t n = enhanced_length(t, out.code)) {
      if (out.enhanced.empty()) out.enhanced = std::string(t.substr(0, n));
      t.remove_prefix(std::min(t.size(), n + 1));
    }
    out.lines.emplace_back(t);
    if (line->last && !text.empty()) return make_error("text after the reply's last line");
  }
  if (out.code == 0) return make_error("empty reply");
  return out;
}

std::vector<std::string> ehlo_keywords(const ServerReply& reply) {
  std::vector<std::string> out;
  for (std::size_t i = 1; i < reply.lines.size(); ++i) {
    std::string k = reply.lines[i];
    auto space = k.find(' ');
    std::transform(k.begin(), k.begin() + static_cast<long>(std::min(space, k.size())), k.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    out.push_back(std::move(k));
  }
  return out;
}

bool offers(const ServerReply& ehlo, std::string_view keyword) {
  for (const auto& k : ehlo_keywords(ehlo)) {
    std::string_view name = std::string_view(k).substr(0, k.find(' '));
    if (name.size() == keyword.size() &&
        std::equal(name.begin(), name.end(), keyword.begin(), [](char a, char b) {
          return std::toupper(static_cast<unsigned char>(a)) ==
                 std::toupper(static_cast<unsigned char>(b));
        }))
      return true;
  }
  return false;
}

}  // namespace appliance::smtp
