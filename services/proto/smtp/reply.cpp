// NAME
//   reply.cpp - rendering replies and the EHLO capability list.
#include "proto/smtp/reply.h"

#include <fmt/format.h>

namespace appliance::smtp {

namespace {

// Reply text may echo client input: keep it printable and short.
constexpr std::size_t kMaxReplyText = 400;

std::string safe_text(std::string_view text) {
  std::string out(text.substr(0, kMaxReplyText));
  for (char& c : out) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = '?';
  }
  return out;
}

}  // namespace

std::string Reply::wire() const {
  std::string out;
  std::size_t n = lines.empty() ? 1 : lines.size();
  for (std::size_t i = 0; i < n; ++i) {
    char sep = i + 1 == n ? ' ' : '-';
    std::string text = lines.empty() ? std::string() : safe_text(lines[i]);
    if (status.empty())
      out += fmt::format("{}{}{}\r\n", code, sep, text);
    else
      out += fmt::format("{}{}{} {}\r\n", code, sep, status, text);
  }
  return out;
}

std::string Reply::summary() const {
  std::string out = fmt::format("{}", code);
  if (!status.empty()) out += " " + status;
  for (const auto& line : lines) out += " " + safe_text(line);
  return out;
}

Reply make_reply(int code, std::string_view status, std::string_view text) {
  return Reply{code, std::string(status), {std::string(text)}};
}

Reply greeting_reply(std::string_view host) {
  return make_reply(220, "", fmt::format("{} ESMTP", host));
}

Reply ehlo_reply(std::string_view host, std::string_view client, const Capabilities& caps) {
  Reply r{250, "", {fmt::format("{} greets {}", host, client)}};
  r.lines.push_back("PIPELINING");
  r.lines.push_back(fmt::format("SIZE {}", caps.max_size));
  r.lines.push_back("8BITMIME");
  r.lines.push_back("SMTPUTF8");
  r.lines.push_back("ENHANCEDSTATUSCODES");
  if (caps.starttls) r.lines.push_back("STARTTLS");
  if (caps.auth) r.lines.push_back("AUTH PLAIN LOGIN");
  r.lines.push_back("CHUNKING");
  r.lines.push_back("BINARYMIME");
  r.lines.push_back("DSN");
  return r;
}

}  // namespace appliance::smtp
