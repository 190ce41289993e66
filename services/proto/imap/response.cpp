// NAME
//   response.cpp - status responses, strings, codes and search results.
#include "proto/imap/response.h"

#include <fmt/format.h>

#include <algorithm>

#include "proto/imap/mailbox_name.h"

namespace appliance::imap {

namespace {

constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string safe_text(std::string_view s) {
  std::string out(s.substr(0, 1000));
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

std::string_view default_text(Cond s) {
  switch (s) {
    case Cond::ok:
      return "Completed";
    case Cond::no:
      return "Failed";
    case Cond::bad:
      return "Invalid command";
    case Cond::bye:
      return "Closing connection";
    case Cond::preauth:
      return "Logged in";
  }
  return "";
}

bool quotable(std::string_view s, bool utf8) {
  if (s.size() > 1024) return false;
  bool eight_bit = false;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u == 0 || c == '\r' || c == '\n') return false;
    eight_bit = eight_bit || u >= 0x80;
  }
  return !eight_bit || (utf8 && valid_utf8(s));
}

}  // namespace

// NUL cannot travel in a literal (RFC 9051 4.3): 0x80 stands in for it.
std::string literal(std::string_view s) {
  std::string out = fmt::format("{{{}}}\r\n", s.size());
  out.append(s);
  std::replace(out.end() - static_cast<std::ptrdiff_t>(s.size()), out.end(), '\0', '\x80');
  return out;
}

std::string_view status_name(Cond s) {
  static constexpr std::string_view kNames[] = {"OK", "NO", "BAD", "BYE", "PREAUTH"};
  return kNames[static_cast<int>(s)];
}

std::string status_response(std::string_view tag, Cond status, std::string_view code,
                            std::string_view text) {
  std::string out = tag.empty() ? "*" : safe_text(tag);
  out += fmt::format(" {} ", status_name(status));
  if (!code.empty()) out += "[" + safe_text(code) + "] ";
  out += safe_text(text.empty() ? default_text(status) : text);
  return out + "\r\n";
}

std::string quote(std::string_view s, bool utf8) {
  if (!quotable(s, utf8)) return literal(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string astring(std::string_view s, bool utf8) {
  bool atom = !s.empty() && !iequals(s, "NIL") && std::all_of(s.begin(), s.end(), is_astring_char);
  return atom ? std::string(s) : quote(s, utf8);
}

std::string nstring(const std::optional<std::string>& s, bool utf8) {
  return s ? quote(*s, utf8) : "NIL";
}

std::string mailbox(std::string_view utf8_name, bool utf8) {
  return astring(encode_mailbox(utf8_name, utf8), utf8);
}

std::string flag_list(const std::vector<std::string>& flags) {
  std::string out = "(";
  for (const auto& f : flags) {
    std::string_view word = std::string_view(f).substr(f.starts_with('\\') ? 1 : 0);
    bool ok = word == "*" || (!word.empty() && std::all_of(word.begin(), word.end(), is_atom_char));
    if (!ok) continue;  // a flag the grammar cannot carry is left out, not sent broken
    out += (out.size() > 1 ? " " : "") + f;
  }
  return out + ")";
}

std::string date_time(const DateTime& t) {
  int zone = t.zone_minutes < 0 ? -t.zone_minutes : t.zone_minutes;
  return fmt::format("\"{:02}-{}-{:04} {:02}:{:02}:{:02} {}{:02}{:02}\"", t.date.day,
                     kMonths[(t.date.month + 11) % 12], t.date.year, t.hour, t.minute, t.second,
                     t.zone_minutes < 0 ? '-' : '+', zone / 60, zone % 60);
}

std::string compress(std::vector<std::uint32_t> n) {
  std::sort(n.begin(), n.end());
  n.erase(std::unique(n.begin(), n.end()), n.end());
  std::string out;
  for (std::size_t i = 0; i < n.size();) {
    std::size_t j = i;
    while (j + 1 < n.size() && n[j + 1] == n[j] + 1) ++j;
    out += (out.empty() ? "" : ",") + std::to_string(n[i]);
    if (j > i) out += ":" + std::to_string(n[j]);
    i = j + 1;
  }
  return out;
}

std::string sequence_set(const SequenceSet& set) {
  if (set.saved) return "$";
  std::string out;
  auto num = [](std::uint32_t v) { return v ? std::to_string(v) : std::string("*"); };
  for (auto r : set.ranges) {
    out += (out.empty() ? "" : ",") + num(r.first);
    if (r.last != r.first) out += ":" + num(r.last);
  }
  return out;
}

namespace code {
std::string uidvalidity(std::uint32_t v) {
  return fmt::format("UIDVALIDITY {}", v);
}
std::string uidnext(std::uint32_t v) {
  return fmt::format("UIDNEXT {}", v);
}
std::string highestmodseq(std::uint64_t v) {
  return fmt::format("HIGHESTMODSEQ {}", v);
}
std::string appenduid(std::uint32_t validity, const std::vector<std::uint32_t>& uids) {
  return fmt::format("APPENDUID {} {}", validity, compress(uids));
}
// COPYUID keeps the order of the pairs, so it is not compressed (RFC 4315 3).
std::string copyuid(std::uint32_t validity, const std::vector<std::uint32_t>& from,
                    const std::vector<std::uint32_t>& to) {
  auto join = [](const std::vector<std::uint32_t>& v) {
    std::string out;
    for (auto n : v) out += (out.empty() ? "" : ",") + std::to_string(n);
    return out;
  };
  return fmt::format("COPYUID {} {} {}", validity, join(from), join(to));
}
std::string capability(const std::vector<std::string>& caps) {
  std::string out = "CAPABILITY";
  for (const auto& c : caps) out += " " + c;
  return out;
}
std::string permanentflags(const std::vector<std::string>& flags) {
  return "PERMANENTFLAGS " + flag_list(flags);
}
}  // namespace code

std::string search_response(const std::vector<std::uint32_t>& numbers,
                            std::optional<std::uint64_t> modseq) {
  std::string out = "* SEARCH";
  for (auto n : numbers) out += " " + std::to_string(n);
  if (modseq && !numbers.empty()) out += fmt::format(" (MODSEQ {})", *modseq);
  return out + "\r\n";
}

std::string esearch_response(std::string_view tag, const Search& search,
                             std::vector<std::uint32_t> numbers,
                             std::optional<std::uint64_t> modseq) {
  auto wants = [&](std::string_view o) {
    return std::find(search.returns.begin(), search.returns.end(), o) != search.returns.end();
  };
  // RFC 5182 2.1: SAVE alone asks for no ESEARCH response.
  if (search.returns.size() == 1 && wants("SAVE")) return {};
  bool all = search.returns.empty() || wants("ALL");
  std::sort(numbers.begin(), numbers.end());
  std::string out = "* ESEARCH (TAG " + quote(tag) + ")";
  if (search.uid) out += " UID";
  if (!numbers.empty() && wants("MIN")) out += fmt::format(" MIN {}", numbers.front());
  if (!numbers.empty() && wants("MAX")) out += fmt::format(" MAX {}", numbers.back());
  if (wants("COUNT")) out += fmt::format(" COUNT {}", numbers.size());
  if (!numbers.empty() && all) out += " ALL " + compress(numbers);
  if (!numbers.empty() && modseq) out += fmt::format(" MODSEQ {}", *modseq);
  return out + "\r\n";
}

}  // namespace appliance::imap
