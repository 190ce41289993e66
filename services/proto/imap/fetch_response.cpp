// NAME
//   fetch_response.cpp - rendering FETCH responses from values imapd supplies.
#include <fmt/format.h>

#include "proto/imap/response.h"

namespace appliance::imap {

namespace {

using K = FetchItem::Kind;

std::string section_spec(const Section& s) {
  std::string out;
  for (std::size_t i = 0; i < s.part.size(); ++i)
    out += fmt::format("{}{}", i ? "." : "", s.part[i]);
  if (!s.text.empty()) out += (s.part.empty() ? "" : ".") + s.text;
  if (!s.fields.empty()) {
    out += " (";
    for (std::size_t i = 0; i < s.fields.size(); ++i) out += (i ? " " : "") + astring(s.fields[i]);
    out += ")";
  }
  return out;
}

std::string simple_name(K kind) {
  switch (kind) {
    case K::flags:
      return "FLAGS";
    case K::internaldate:
      return "INTERNALDATE";
    case K::rfc822_size:
      return "RFC822.SIZE";
    case K::envelope:
      return "ENVELOPE";
    case K::body:
      return "BODY";
    case K::bodystructure:
      return "BODYSTRUCTURE";
    case K::uid:
      return "UID";
    case K::modseq:
      return "MODSEQ";
    case K::rfc822:
      return "RFC822";
    case K::rfc822_header:
      return "RFC822.HEADER";
    case K::rfc822_text:
      return "RFC822.TEXT";
    default:
      return {};
  }
}

}  // namespace

std::string fetch_item_name(const FetchItem& item) {
  std::string name = simple_name(item.kind);
  if (!name.empty()) return name;
  name = item.kind == K::binary_size ? "BINARY.SIZE["
         : item.kind == K::binary    ? "BINARY["
                                     : "BODY[";
  name += section_spec(item.section) + "]";
  // The response names the origin only (RFC 9051 7.5.2).
  if (item.partial) name += fmt::format("<{}>", item.partial->first);
  return name;
}

FetchResponse& FetchResponse::number(std::string_view name, std::uint64_t v) {
  return raw(name, std::to_string(v));
}

FetchResponse& FetchResponse::flags(const std::vector<std::string>& f) {
  return raw("FLAGS", flag_list(f));
}

FetchResponse& FetchResponse::internaldate(const DateTime& t) {
  return raw("INTERNALDATE", date_time(t));
}

FetchResponse& FetchResponse::data(const FetchItem& item, const std::optional<std::string>& bytes) {
  if (item.kind == K::binary_size) return number(fetch_item_name(item), bytes ? bytes->size() : 0);
  if (!bytes) return raw(fetch_item_name(item), "NIL");
  // BINARY content may hold NUL: literal8 (RFC 3516 4.3); the rest are literals.
  if (item.kind == K::binary && bytes->find('\0') != std::string::npos)
    return raw(fetch_item_name(item), fmt::format("~{{{}}}\r\n", bytes->size()) + *bytes);
  return raw(fetch_item_name(item), literal(*bytes));
}

FetchResponse& FetchResponse::raw(std::string_view name, std::string_view rendered) {
  if (!items_.empty()) items_ += ' ';
  items_ += name;
  items_ += ' ';
  items_ += rendered;
  return *this;
}

std::string FetchResponse::render() const {
  return fmt::format("* {} FETCH ({})\r\n", seq_, items_);
}

}  // namespace appliance::imap
