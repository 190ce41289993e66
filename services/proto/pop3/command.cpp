// NAME
//   command.cpp - the POP3 command line: keyword, arguments, numbers.
#include "proto/pop3/command.h"

#include <array>
#include <limits>
#include <vector>

namespace appliance::pop3 {

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

// Arguments are separated by single spaces (RFC 1939 3).
std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == ' ') {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

// A message number: 1 to 2^32-1, digits only.
Result<std::uint32_t> message_number(std::string_view s, bool zero_ok = false) {
  std::uint64_t v = 0;
  if (s.empty() || s.size() > 10) return make_error("Invalid message number");
  for (char c : s) {
    if (c < '0' || c > '9') return make_error("Invalid message number");
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if ((v == 0 && !zero_ok) || v > std::numeric_limits<std::uint32_t>::max())
    return make_error("Invalid message number");
  return static_cast<std::uint32_t>(v);
}

Result<Command> optional_number(const std::vector<std::string_view>& w, bool uidl) {
  if (w.size() > 1) return make_error("Too many arguments");
  std::optional<std::uint32_t> n;
  if (w.size() == 1) {
    auto v = message_number(w[0]);
    if (!v) return v.error();
    n = *v;
  }
  if (uidl) return Command{Uidl{n}};
  return Command{List{n}};
}

Result<Command> one_number(const std::vector<std::string_view>& w, bool dele) {
  if (w.size() != 1) return make_error("Expected one message number");
  auto n = message_number(w[0]);
  if (!n) return n.error();
  if (dele) return Command{Dele{*n}};
  return Command{Retr{*n}};
}

Result<Command> top(const std::vector<std::string_view>& w) {
  if (w.size() != 2) return make_error("Expected a message number and a line count");
  auto n = message_number(w[0]);
  auto lines = message_number(w[1], true);
  if (!n || !lines) return make_error("Invalid message number or line count");
  return Command{Top{*n, *lines}};
}

Result<Command> auth(const std::vector<std::string_view>& w) {
  if (w.size() > 2) return make_error("Too many arguments");
  Auth a;
  if (!w.empty()) a.mechanism = upper(w[0]);
  if (w.size() == 2) a.initial = std::string(w[1]);
  if (a.mechanism.empty() && !w.empty()) return make_error("Expected a mechanism");
  return Command{std::move(a)};
}

Result<Command> no_arguments(const std::string& verb) {
  if (verb == "STAT") return Command{Stat{}};
  if (verb == "NOOP") return Command{Noop{}};
  if (verb == "RSET") return Command{Rset{}};
  if (verb == "QUIT") return Command{Quit{}};
  if (verb == "CAPA") return Command{Capa{}};
  if (verb == "STLS") return Command{Stls{}};
  return make_error("Unknown command");
}

Result<Command> with_arguments(const std::string& verb, std::string_view rest) {
  auto w = rest.empty() ? std::vector<std::string_view>() : words(rest);
  for (auto word : w)
    if (word.empty()) return make_error("Invalid argument spacing");
  if (verb == "USER") {
    if (w.size() != 1 || w[0].size() > 255) return make_error("Expected one user name");
    return Command{User{std::string(w[0])}};
  }
  if (verb == "LIST" || verb == "UIDL") return optional_number(w, verb == "UIDL");
  if (verb == "RETR" || verb == "DELE") return one_number(w, verb == "DELE");
  if (verb == "TOP") return top(w);
  if (verb == "AUTH") return auth(w);
  if (verb == "APOP") return Command{Apop{}};
  if (!w.empty()) return make_error(verb + " takes no arguments");
  return no_arguments(verb);
}

}  // namespace

Result<Command> parse_command(std::string_view line) {
  for (char c : line)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return make_error("Control character in command");
  auto space = line.find(' ');
  std::string verb = upper(line.substr(0, space));
  if (verb.empty() || verb.size() > 4) return make_error("Unknown command");
  std::string_view rest = space == std::string_view::npos ? "" : line.substr(space + 1);
  // PASS takes the rest of the line as it is: a password may hold spaces.
  if (verb == "PASS") {
    if (rest.empty()) return make_error("Expected a password");
    return Command{Pass{Secret(std::string(rest))}};
  }
  return with_arguments(verb, rest);
}

std::string command_name(const Command& c) {
  static constexpr std::array<const char*, 15> kNames = {"USER", "PASS", "APOP", "STAT", "LIST",
                                                         "RETR", "DELE", "NOOP", "RSET", "QUIT",
                                                         "TOP",  "UIDL", "CAPA", "STLS", "AUTH"};
  return kNames[c.index()];
}

}  // namespace appliance::pop3
