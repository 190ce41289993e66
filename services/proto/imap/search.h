// NAME
//   search.h - SEARCH criteria as a tree (RFC 9051 6.4.4, RFC 7162 3.1.5).
//
// DESCRIPTION
//   A SearchKey is one search-key of the grammar: a leaf (FLAGGED, FROM "x",
//   LARGER 100, a sequence set, ...) or AND (a parenthesised list, and the
//   top level), OR (two children) and NOT (one child). Nesting is bounded
//   (kMaxSearchDepth) so a hostile command cannot exhaust the stack.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/imap/syntax.h"

namespace appliance::imap {

constexpr int kMaxSearchDepth = 32;

struct SearchKey {
  enum class Kind {
    all,
    and_,
    or_,
    not_,
    // flags
    answered,
    deleted,
    draft,
    flagged,
    seen,
    recent,
    new_,
    old,
    unanswered,
    undeleted,
    undraft,
    unflagged,
    unseen,
    keyword,
    unkeyword,
    // text: field (upper case) in `field`, the needle in `text`
    bcc,
    body,
    cc,
    from,
    subject,
    text,
    to,
    header,
    // dates (internal and Date: header)
    before,
    on,
    since,
    sentbefore,
    senton,
    sentsince,
    // sizes and sets
    larger,
    smaller,
    sequence,
    uid,
    modseq,
    // WITHIN (RFC 5032)
    older,
    younger,
  };
  Kind kind = Kind::all;
  std::string field;  // HEADER field name; KEYWORD flag
  std::string text;   // the string searched for
  Date date;
  std::uint64_t number = 0;  // LARGER, SMALLER, MODSEQ, OLDER, YOUNGER
  SequenceSet set;
  std::vector<SearchKey> children;
};

// SEARCH CHARSET (RFC 9051 6.4.4): none given, UTF-8 and US-ASCII are
// taken as they are; any other charset the C library's iconv knows
// (ISO-8859-1, WINDOWS-1252, KOI8-R, ISO-2022-JP, GB18030, ...) is
// converted to UTF-8 by search_in_utf8(), since messages are matched in
// UTF-8. The server layer refuses an unknown charset with NO and
// kBadCharset, and a string that is not valid in its charset with NO, since
// a SEARCH RETURN (SAVE) that fails empties what it holds for "$".
bool searchable_charset(const std::optional<std::string>& charset);
inline constexpr std::string_view kBadCharset = "BADCHARSET (UTF-8 US-ASCII)";
// The key with every searched string in UTF-8; the charset must be searchable.
Result<SearchKey> search_in_utf8(SearchKey key, const std::optional<std::string>& charset);

// Whether a MODSEQ key is anywhere in the tree (RFC 7162 3.1.5).
bool uses_modseq(const SearchKey& key);

// Reads search-key *(SP search-key) up to the end or a ')' into one AND key.
Result<SearchKey> parse_search_keys(Reader& r);

}  // namespace appliance::imap
