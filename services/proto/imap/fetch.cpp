// NAME
//   fetch.cpp - FETCH and UID FETCH: items, macros, sections, partials, modifiers.
#include <array>

#include "proto/imap/command.h"

namespace appliance::imap {

namespace {

using K = FetchItem::Kind;

struct Simple {
  std::string_view name;
  K kind;
};

constexpr std::array<Simple, 11> kSimple = {{
    {"FLAGS", K::flags},
    {"INTERNALDATE", K::internaldate},
    {"RFC822.SIZE", K::rfc822_size},
    {"ENVELOPE", K::envelope},
    {"BODYSTRUCTURE", K::bodystructure},
    {"UID", K::uid},
    {"MODSEQ", K::modseq},
    {"RFC822.HEADER", K::rfc822_header},
    {"RFC822.TEXT", K::rfc822_text},
    {"RFC822", K::rfc822},
    {"BODY", K::body},
}};

std::vector<FetchItem> macro(std::string_view name) {
  std::vector<K> kinds{K::flags, K::internaldate, K::rfc822_size};
  if (name == "ALL" || name == "FULL") kinds.push_back(K::envelope);
  if (name == "FULL") kinds.push_back(K::body);
  std::vector<FetchItem> items;
  for (K k : kinds) items.push_back(FetchItem{k});
  return items;
}

Result<std::vector<std::string>> header_fields(Reader& r) {
  std::vector<std::string> fields;
  if (auto s = r.space(); !s) return s.error();
  if (!r.eat('(')) return make_error("Expected '(' before header field names");
  do {
    auto f = r.astring();
    if (!f) return f.error();
    fields.push_back(to_upper(*f));
  } while (r.eat(' '));
  if (!r.eat(')')) return make_error("Expected ')' after header field names");
  return fields;
}

// section-spec after the part numbers (RFC 9051 9: section-msgtext, "MIME").
Result<void> section_text(Reader& r, Section& s, bool binary) {
  auto word = r.atom();
  if (!word) return word.error();
  s.text = to_upper(*word);
  if (binary) return make_error("BINARY takes part numbers only");
  if (s.text == "MIME" && s.part.empty()) return make_error("MIME needs a part number");
  if (s.text == "HEADER.FIELDS" || s.text == "HEADER.FIELDS.NOT") {
    auto f = header_fields(r);
    if (!f) return f.error();
    s.fields = std::move(*f);
    return {};
  }
  if (s.text != "HEADER" && s.text != "TEXT" && s.text != "MIME")
    return make_error("Unknown section " + s.text);
  return {};
}

Result<Section> section(Reader& r, bool binary) {
  Section s;
  if (r.eat(']')) return s;
  while (r.peek_digit()) {
    auto n = r.number(true);
    if (!n) return n.error();
    s.part.push_back(*n);
    if (!r.eat('.')) break;
    if (!r.peek_digit()) {
      if (auto t = section_text(r, s, binary); !t) return t.error();
      break;
    }
  }
  if (s.part.empty() && s.text.empty()) {
    if (auto t = section_text(r, s, binary); !t) return t.error();
  }
  if (!r.eat(']')) return make_error("Expected ']' after the section");
  return s;
}

Result<void> partial(Reader& r, FetchItem& item) {
  if (!r.eat('<')) return {};
  auto origin = r.number();
  if (!origin || !r.eat('.')) return make_error("Expected <origin.length>");
  auto length = r.number(true);
  if (!length || !r.eat('>')) return make_error("Expected <origin.length>");
  item.partial = std::make_pair(*origin, *length);
  return {};
}

Result<FetchItem> section_item(Reader& r, std::string_view name) {
  FetchItem item;
  bool binary = name.starts_with("BINARY");
  item.kind = name == "BINARY.SIZE" ? K::binary_size : binary ? K::binary : K::body_section;
  item.peek = name.ends_with(".PEEK");
  auto s = section(r, binary);
  if (!s) return s.error();
  item.section = std::move(*s);
  if (item.kind == K::binary_size) return item;
  if (auto p = partial(r, item); !p) return p.error();
  return item;
}

bool is_item_char(char c) {
  return is_atom_char(c) && c != '[';
}

Result<FetchItem> item(Reader& r) {
  auto word = r.token(is_item_char, "a fetch item");
  if (!word) return word.error();
  std::string name = to_upper(*word);
  if (r.eat('[')) {
    if (name == "BODY" || name == "BODY.PEEK" || name == "BINARY" || name == "BINARY.PEEK" ||
        name == "BINARY.SIZE")
      return section_item(r, name);
    return make_error("Unknown fetch item " + name);
  }
  for (const auto& s : kSimple)
    if (s.name == name) return FetchItem{s.kind};
  return make_error("Unknown fetch item " + name);
}

Result<std::vector<FetchItem>> items(Reader& r) {
  for (std::string_view m : {"ALL", "FAST", "FULL"})
    if (r.eat_word(m)) return macro(m);
  bool list = r.eat('(');
  std::vector<FetchItem> out;
  do {
    auto i = item(r);
    if (!i) return i.error();
    out.push_back(std::move(*i));
  } while (list && r.eat(' '));
  if (list && !r.eat(')')) return make_error("Expected ')' after fetch items");
  return out;
}

// fetch-modifiers: (CHANGEDSINCE n [VANISHED]) (RFC 7162 3.1.4, 3.2.6).
Result<void> modifiers(Reader& r, Fetch& f) {
  if (!r.eat('(')) return make_error("Expected '(' before fetch modifiers");
  do {
    if (r.eat_word("CHANGEDSINCE")) {
      auto n = r.space() ? r.number64(true) : Result<std::uint64_t>(make_error("Expected a space"));
      if (!n) return n.error();
      f.changedsince = *n;
    } else if (r.eat_word("VANISHED")) {
      f.vanished = true;
    } else {
      return make_error("Unknown fetch modifier");
    }
  } while (r.eat(' '));
  if (!r.eat(')')) return make_error("Expected ')' after fetch modifiers");
  if (f.vanished && (!f.uid || !f.changedsince))
    return make_error("VANISHED needs UID FETCH and CHANGEDSINCE");
  return {};
}

}  // namespace

Result<Command> parse_fetch(Reader& r, bool uid) {
  Fetch f;
  f.uid = uid;
  auto set = r.sequence_set();
  if (!set) return set.error();
  f.set = std::move(*set);
  if (auto s = r.space(); !s) return s.error();
  auto list = items(r);
  if (!list) return list.error();
  f.items = std::move(*list);
  if (r.eat(' ')) {
    if (auto m = modifiers(r, f); !m) return m.error();
  }
  if (auto e = r.end(); !e) return e.error();
  return Command{std::move(f)};
}

}  // namespace appliance::imap
