// NAME
//   simple_header.h - the summary's fields of a plain header, without GMime.
//
// DESCRIPTION
//   Most mail is one part under a header of plain fields. Its summary needs
//   the values of a dozen fields, and GMime's parse of the header (an object
//   per field, a message and a part around them) was most of what a summary
//   cost. simple_fields() finds those values itself, but only in a header
//   plain enough that they are exactly what GMime reads there: printable
//   ASCII, spaces and tabs, CRLF line ends; every line a field ("Name:", a
//   name of printable characters with no space before the colon) or the
//   continuation of the one before (a leading space or tab); none of the
//   summarised fields twice, no encoded word ("=?") but in Subject and the
//   address fields (GMime's value parsers decode those), and no comment in
//   an address field. For any other header it says nothing, and the caller
//   has GMime parse it.
//   summary.cpp checks the two ways agree (testing/summary_fuzz.cpp).
//
//   Pure: reads only its string_view; input untrusted.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace appliance::mime {

// Whether the summary reads a field of this name: the MIME fields
// (Content-*, MIME-Version) and the envelope's.
bool summarised(std::string_view name);

struct SimpleFields {
  struct Field {
    std::string name;    // as written
    std::string folded;  // with its folds' CRLFs: GMime's message parses address fields so
    std::string value;   // unfolded: how GMime reads every other field
  };
  std::vector<Field> fields;  // the summarised ones, each value trimmed

  // Without regard to ASCII case; null when absent.
  const Field* get(std::string_view name) const;
};

// `header`: a message's header block, through the blank line that ends it.
std::optional<SimpleFields> simple_fields(std::string_view header);

struct Mailbox {
  std::string local, domain;
};

// A field value that is one plain address and nothing else, "a@b.test" or
// "<a@b.test>": a local part of atoms and dots, a domain of letters, digits,
// hyphens and dots, no IDN label ("xn--"). GMime reads such a value as that
// one mailbox, without a name; parsing it there costs objects, and writing it
// for SEARCH an IDN lookup of its domain.
std::optional<Mailbox> plain_mailbox(std::string_view value);

}  // namespace appliance::mime
