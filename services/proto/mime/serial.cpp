// NAME
//   serial.cpp - a Summary as compact length-prefixed text, and back.
//
// DESCRIPTION
//   "M1;" then numbers as "123;" and strings as "5:bytes" (any bytes: the
//   rendered ENVELOPE may hold 8-bit literals, which must survive exactly),
//   parts depth first as header;body;end;kind;encoding;children;... "M2;"
//   adds the cached header block last; M1 (without it) is still read.
//   parse() checks every field, the ranges' order and the depth, and that a
//   cached header is exactly as long as the root's header range, so a
//   damaged or foreign summary is an error, never a crash or a range past
//   the message.
#include <charconv>

#include "proto/mime/summary.h"

namespace appliance::mime {

namespace {

void put(std::string& out, std::uint64_t n) {
  out += std::to_string(n) + ';';
}
void put(std::string& out, std::string_view s) {
  out += std::to_string(s.size()) + ':';
  out += s;
}

void put(std::string& out, const Part& p) {
  put(out, p.header_begin), put(out, p.body_begin), put(out, p.end);
  put(out, std::uint64_t{p.multipart ? 1u : p.message ? 2u : 0u});
  put(out, p.encoding);
  put(out, std::uint64_t{p.parts.size()});
  for (const Part& c : p.parts) put(out, c);
}

class In {
 public:
  explicit In(std::string_view s) : s_(s) {}
  bool number(std::uint64_t& n, char end = ';') {
    auto [p, ec] = std::from_chars(s_.data() + pos_, s_.data() + s_.size(), n);
    if (ec != std::errc() || p == s_.data() + s_.size() || *p != end) return false;
    pos_ = static_cast<std::size_t>(p - s_.data()) + 1;
    return true;
  }
  bool string(std::string& out) {
    std::uint64_t n = 0;
    if (!number(n, ':') || n > s_.size() - pos_) return false;
    out.assign(s_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  bool part(Part& p, int depth) {
    std::uint64_t kind = 0, children = 0;
    if (depth > kMaxDepth + 2 || !number(p.header_begin) || !number(p.body_begin) ||
        !number(p.end) || !number(kind) || !string(p.encoding) || !number(children))
      return false;
    if (kind > 2 || p.header_begin > p.body_begin || p.body_begin > p.end) return false;
    p.multipart = kind == 1, p.message = kind == 2;
    if ((p.message && children != 1) || children > s_.size() - pos_) return false;
    for (std::uint64_t i = 0; i < children; ++i) {
      Part c;
      if (!part(c, depth + 1) || c.header_begin < p.body_begin || c.end > p.end) return false;
      p.parts.push_back(std::move(c));
    }
    return true;
  }
  bool at(std::string_view prefix) {
    if (!s_.substr(pos_).starts_with(prefix)) return false;
    pos_ += prefix.size();
    return true;
  }
  bool done() const { return pos_ == s_.size(); }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

constexpr std::string_view kMagicV1 = "M1;";
constexpr std::string_view kMagic = "M2;";

}  // namespace

std::string serialize(const Summary& s) {
  std::string out(s.header ? kMagic : kMagicV1);
  for (const std::string* f :
       {&s.envelope, &s.body, &s.bodystructure, &s.from, &s.to, &s.cc, &s.bcc, &s.subject})
    put(out, *f);
  put(out, static_cast<std::uint64_t>(s.date));
  put(out, s.root);
  if (s.header) put(out, *s.header);
  return out;
}

Result<Summary> parse(std::string_view serialized) {
  In in(serialized);
  bool v1 = in.at(kMagicV1);
  if (!v1 && !in.at(kMagic)) return make_error("the summary has an unknown format");
  Summary s;
  std::uint64_t date = 0;
  bool ok = true;
  for (std::string* f :
       {&s.envelope, &s.body, &s.bodystructure, &s.from, &s.to, &s.cc, &s.bcc, &s.subject})
    ok = ok && in.string(*f);
  ok = ok && in.number(date) && in.part(s.root, 0);
  if (ok && !v1) {
    std::string header;
    ok = in.string(header) && header.size() == s.root.body_begin - s.root.header_begin &&
         header.size() <= kMaxCachedHeader;
    s.header = std::move(header);
  }
  if (!ok || !in.done()) return make_error("the summary is damaged");
  s.date = static_cast<std::int64_t>(date);
  return s;
}

}  // namespace appliance::mime
