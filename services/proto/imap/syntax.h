// NAME
//   syntax.h - IMAP command syntax: the token reader and its value types.
//
// DESCRIPTION
//   A Reader walks one whole command (as assembled by CommandReader: lines
//   joined by CRLF, literal octets in place) and reads the productions of
//   RFC 9051 section 9: atoms, quoted strings, literals {n}, {n+} and ~{n},
//   astrings, nstrings, numbers, flags, sequence sets, dates and date-times.
//   It never reads past its string_view; every failure is an Error whose
//   message becomes the text of a BAD response.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "proto/common/ascii.h"

namespace appliance::imap {

// A range of message numbers or UIDs; 0 stands for '*' (the largest in use).
struct Range {
  std::uint32_t first = 0;
  std::uint32_t last = 0;
  bool operator==(const Range&) const = default;
};

struct SequenceSet {
  std::vector<Range> ranges;
  bool saved = false;  // "$": the result saved by SEARCH RETURN (SAVE) (RFC 5182)
  bool operator==(const SequenceSet&) const = default;
  // Whether n is in the set, with '*' meaning `largest`.
  bool contains(std::uint32_t n, std::uint32_t largest) const;
};

struct Date {
  int year = 0, month = 0, day = 0;  // month 1-12
  bool operator==(const Date&) const = default;
};

struct DateTime {
  Date date;
  int hour = 0, minute = 0, second = 0;
  int zone_minutes = 0;  // east of UTC
  bool operator==(const DateTime&) const = default;
};

class Reader {
 public:
  explicit Reader(std::string_view text) : s_(text) {}

  bool at_end() const { return pos_ >= s_.size(); }
  bool peek(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
  bool peek_digit() const { return pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9'; }
  bool eat(char c);
  // Consumes `word` if it comes next, in any case, followed by a delimiter.
  bool eat_word(std::string_view word);
  Result<void> expect(char c, std::string_view what);
  Result<void> space() { return expect(' ', "a space"); }
  Result<void> end();

  Result<std::string> atom();  // ATOM-CHAR+
  Result<std::string> token(bool (*allowed)(char), std::string_view what);
  Result<std::string> tag();                     // ASTRING-CHAR except '+'
  Result<std::string> astring();                 // atom with ']', quoted or literal
  Result<std::string> string();                  // quoted or literal
  Result<std::optional<std::string>> nstring();  // string or NIL
  Result<std::string> list_mailbox();            // list-char+ or string
  Result<std::uint32_t> number(bool nonzero = false);
  Result<std::uint64_t> number64(bool nonzero = false);
  Result<std::string> flag();                    // \Flag or keyword
  Result<std::vector<std::string>> flag_list();  // "(" [flag *(SP flag)] ")"
  Result<SequenceSet> sequence_set();
  Result<Date> date();           // date-text, optionally quoted
  Result<DateTime> date_time();  // quoted "dd-Mon-yyyy hh:mm:ss +zzzz"
  // A literal, once its "{" has been seen; `binary` allows NUL (literal8).
  Result<std::string> literal(bool binary = false);
  bool literal8_next() const { return peek('~'); }

  std::size_t position() const { return pos_; }

 private:
  Result<std::string> quoted();
  Result<std::uint32_t> seq_number();
  Result<Range> range();
  std::string_view word_at(std::size_t from, bool (*allowed)(char)) const;

  std::string_view s_;
  std::size_t pos_ = 0;
};

bool is_atom_char(char c);
bool is_astring_char(char c);
bool is_list_char(char c);
std::string to_upper(std::string_view s);
using ascii::iequals;
// Valid UTF-8 without overlong forms or surrogates.
bool valid_utf8(std::string_view s);

}  // namespace appliance::imap
