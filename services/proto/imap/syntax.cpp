// NAME
//   syntax.cpp - the token reader: RFC 9051 section 9 productions.
#include "proto/imap/syntax.h"

#include <array>
#include <limits>

namespace appliance::imap {

namespace {

constexpr std::array<std::string_view, 12> kMonths = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                      "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_tag_char(char c) {
  return is_astring_char(c) && c != '+';
}
bool is_flag_word_char(char c) {
  return is_atom_char(c);
}

Error bad(std::string_view what) {
  return make_error("Expected " + std::string(what));
}

int days_in(int month, int year) {
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && !leap ? 28 : kDays[month - 1];
}

}  // namespace

bool SequenceSet::contains(std::uint32_t n, std::uint32_t largest) const {
  for (auto r : ranges) {
    std::uint32_t a = r.first ? r.first : largest, b = r.last ? r.last : largest;
    if (a > b) std::swap(a, b);
    if (n >= a && n <= b) return true;
  }
  return false;
}

bool is_atom_char(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7f) return false;
  return std::string_view("(){%*\"\\]").find(c) == std::string_view::npos;
}

bool is_astring_char(char c) {
  return is_atom_char(c) || c == ']';
}
bool is_list_char(char c) {
  return is_astring_char(c) || c == '%' || c == '*';
}

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 0 : c < 0xc2 ? 9 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : c < 0xf5 ? 3 : 9;
    if (n == 9 || (n > 0 && i + n >= s.size())) return false;
    std::uint32_t cp = n ? c & (0x3f >> n) : c;
    for (std::size_t k = 1; k <= n; ++k) {
      auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xc0) != 0x80) return false;
      cp = cp << 6 | (d & 0x3f);
    }
    bool overlong = (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000);
    if (overlong || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

bool Reader::eat(char c) {
  if (!peek(c)) return false;
  ++pos_;
  return true;
}

bool Reader::eat_word(std::string_view word) {
  if (s_.size() - pos_ < word.size() || !iequals(s_.substr(pos_, word.size()), word)) return false;
  std::size_t after = pos_ + word.size();
  if (after < s_.size() && is_atom_char(s_[after]) && is_atom_char(word.back())) return false;
  pos_ = after;
  return true;
}

Result<void> Reader::expect(char c, std::string_view what) {
  if (!eat(c)) return bad(what);
  return {};
}

Result<void> Reader::end() {
  if (!at_end()) return make_error("Unexpected text after the command");
  return {};
}

std::string_view Reader::word_at(std::size_t from, bool (*allowed)(char)) const {
  std::size_t end = from;
  while (end < s_.size() && allowed(s_[end])) ++end;
  return s_.substr(from, end - from);
}

Result<std::string> Reader::token(bool (*allowed)(char), std::string_view what) {
  auto w = word_at(pos_, allowed);
  if (w.empty()) return bad(what);
  pos_ += w.size();
  return std::string(w);
}

Result<std::string> Reader::atom() {
  return token(is_atom_char, "an atom");
}

Result<std::string> Reader::tag() {
  return token(is_tag_char, "a tag");
}

Result<std::string> Reader::quoted() {
  std::string out;
  for (std::size_t i = pos_ + 1; i < s_.size(); ++i) {
    char c = s_[i];
    if (c == '"') {
      if (!valid_utf8(out)) return make_error("Invalid UTF-8 in a quoted string");
      pos_ = i + 1;
      return out;
    }
    if (c == '\r' || c == '\n' || c == '\0')
      return make_error("Control character in a quoted string");
    if (c == '\\') {
      if (i + 1 == s_.size() || (s_[i + 1] != '"' && s_[i + 1] != '\\'))
        return make_error("Invalid escape in a quoted string");
      c = s_[++i];
    }
    out += c;
  }
  return make_error("Unterminated quoted string");
}

Result<std::string> Reader::literal(bool binary) {
  if (binary && !eat('~')) return bad("a literal8");
  if (!eat('{')) return bad("a literal");
  auto n = number64();
  if (!n) return n.error();
  eat('+');
  if (!eat('}')) return bad("'}' after the literal size");
  eat('\r');
  if (!eat('\n')) return bad("CRLF after the literal size");
  if (*n > s_.size() - pos_) return make_error("Literal shorter than announced");
  std::string_view data = s_.substr(pos_, *n);
  if (!binary && data.find('\0') != std::string_view::npos)
    return make_error("NUL in a literal (use literal8)");
  pos_ += *n;
  return std::string(data);
}

Result<std::string> Reader::string() {
  if (peek('"')) return quoted();
  if (peek('{')) return literal();
  return bad("a string");
}

Result<std::string> Reader::astring() {
  if (peek('"') || peek('{')) return string();
  auto w = word_at(pos_, is_astring_char);
  if (w.empty()) return bad("an atom or a string");
  pos_ += w.size();
  return std::string(w);
}

Result<std::optional<std::string>> Reader::nstring() {
  if (eat_word("NIL")) return std::optional<std::string>();
  auto s = string();
  if (!s) return s.error();
  return std::optional<std::string>(std::move(*s));
}

Result<std::string> Reader::list_mailbox() {
  if (peek('"') || peek('{')) return string();
  auto w = word_at(pos_, is_list_char);
  if (w.empty()) return bad("a mailbox pattern");
  pos_ += w.size();
  return std::string(w);
}

Result<std::uint64_t> Reader::number64(bool nonzero) {
  std::uint64_t v = 0;
  std::size_t start = pos_;
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  for (; pos_ < s_.size() && is_digit(s_[pos_]); ++pos_) {
    auto digit = static_cast<std::uint64_t>(s_[pos_] - '0');
    // RFC 9051 9: number64 is at most 2^63-1.
    if (v > (kMax - digit) / 10) return make_error("Number too large");
    v = v * 10 + digit;
  }
  if (pos_ == start) return bad("a number");
  if (nonzero && v == 0) return make_error("Zero is not allowed here");
  return v;
}

Result<std::uint32_t> Reader::number(bool nonzero) {
  std::size_t start = pos_;
  auto v = number64(nonzero);
  if (!v) return v.error();
  if (*v > std::numeric_limits<std::uint32_t>::max()) {
    pos_ = start;
    return make_error("Number too large");
  }
  return static_cast<std::uint32_t>(*v);
}

Result<std::string> Reader::flag() {
  bool system = eat('\\');
  if (system && eat('*')) return std::string("\\*");
  auto w = word_at(pos_, is_flag_word_char);
  if (w.empty()) return bad("a flag");
  pos_ += w.size();
  return (system ? "\\" : "") + std::string(w);
}

Result<std::vector<std::string>> Reader::flag_list() {
  if (!eat('(')) return bad("a flag list");
  std::vector<std::string> flags;
  while (!eat(')')) {
    if (!flags.empty()) {
      if (auto s = space(); !s) return s.error();
    }
    auto f = flag();
    if (!f) return f.error();
    flags.push_back(std::move(*f));
  }
  return flags;
}

Result<std::uint32_t> Reader::seq_number() {
  if (eat('*')) return 0u;
  return number(true);
}

Result<Range> Reader::range() {
  auto a = seq_number();
  if (!a) return a.error();
  if (!eat(':')) return Range{*a, *a};
  auto b = seq_number();
  if (!b) return b.error();
  return Range{*a, *b};
}

Result<SequenceSet> Reader::sequence_set() {
  SequenceSet set;
  if (eat('$')) {
    set.saved = true;
    return set;
  }
  do {
    auto r = range();
    if (!r) return make_error("Invalid sequence set: " + r.message());
    set.ranges.push_back(*r);
  } while (eat(','));
  return set;
}

Result<Date> Reader::date() {
  bool quoted = eat('"');
  Date d;
  auto day = number();
  if (!day || *day < 1 || *day > 31 || !eat('-')) return bad("a date like 1-Feb-2024");
  auto month = s_.substr(pos_, 3);
  std::size_t m = 0;
  while (m < kMonths.size() && !iequals(month, kMonths[m])) ++m;
  if (month.size() < 3 || m == kMonths.size()) return bad("a month name");
  pos_ += 3;
  auto year = eat('-') ? number() : Result<std::uint32_t>(bad("a year"));
  if (!year || *year < 1000 || *year > 9999) return bad("a four-digit year");
  d = Date{static_cast<int>(*year), static_cast<int>(m + 1), static_cast<int>(*day)};
  if (d.day > days_in(d.month, d.year)) return make_error("No such day in that month");
  if (quoted && !eat('"')) return bad("a closing quote after the date");
  return d;
}

Result<DateTime> Reader::date_time() {
  if (!eat('"')) return bad("a quoted date-time");
  eat(' ');  // date-day-fixed: " 1-Feb-2024"
  auto d = date();
  if (!d) return d.error();
  DateTime t{*d};
  auto two = [&](int& out, int max) {
    if (s_.size() - pos_ < 2 || !is_digit(s_[pos_]) || !is_digit(s_[pos_ + 1])) return false;
    out = (s_[pos_] - '0') * 10 + (s_[pos_ + 1] - '0');
    pos_ += 2;
    return out <= max;
  };
  int zh = 0, zm = 0;
  bool ok = eat(' ') && two(t.hour, 23) && eat(':') && two(t.minute, 59) && eat(':') &&
            two(t.second, 60) && eat(' ');
  char sign = pos_ < s_.size() ? s_[pos_++] : 0;
  ok = ok && (sign == '+' || sign == '-') && two(zh, 99) && two(zm, 59) && eat('"');
  if (!ok) return bad("a date-time like \"01-Feb-2024 10:00:00 +0000\"");
  t.zone_minutes = (sign == '-' ? -1 : 1) * (zh * 60 + zm);
  return t;
}

}  // namespace appliance::imap
