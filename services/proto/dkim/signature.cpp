// NAME
//   signature.cpp - DKIM-Signature parsing (RFC 6376 3.5) and composition.
#include "proto/dkim/signature.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "proto/common/ascii.h"
#include "proto/common/sasl.h"
#include "proto/dkim/header.h"
#include "proto/dkim/tags.h"

namespace appliance::dkim {

namespace {

Result<std::string> base64_tag(std::string_view name, std::string_view value) {
  auto decoded = sasl::base64_decode(strip_fws(value));
  if (!decoded || decoded->empty())
    return make_error(fmt::format("tag {}: not base64", name));
  return std::move(*decoded);
}

Result<std::uint64_t> number_tag(std::string_view name, std::string_view value) {
  std::uint64_t n = 0;
  if (value.empty() || value.size() > 18 ||
      !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return make_error(fmt::format("tag {}: not a number", name));
  std::from_chars(value.data(), value.data() + value.size(), n);
  return n;
}

Result<Canon> canon_named(std::string_view name) {
  if (name == "simple") return Canon::simple;
  if (name == "relaxed") return Canon::relaxed;
  return make_error(fmt::format("tag c: unknown canonicalization \"{}\"", name.substr(0, 20)));
}

Result<void> read_canon(std::string_view value, Signature& s) {
  auto slash = value.find('/');
  auto header = canon_named(value.substr(0, slash));
  if (!header) return header.error();
  s.header_canon = *header;
  if (slash == std::string_view::npos) return {};
  auto body = canon_named(value.substr(slash + 1));
  if (!body) return body.error();
  s.body_canon = *body;
  return {};
}

Result<Algorithm> read_algorithm(std::string_view value) {
  if (value == "rsa-sha256") return Algorithm::rsa_sha256;
  if (value == "ed25519-sha256") return Algorithm::ed25519_sha256;
  if (value == "rsa-sha1") return make_error("tag a: rsa-sha1 is not accepted (RFC 8301)");
  return make_error(fmt::format("tag a: unknown algorithm \"{}\"", value.substr(0, 30)));
}

bool valid_domain(std::string_view d) {
  if (d.empty() || d.size() > 253 || d.front() == '.' || d.back() == '.') return false;
  return std::all_of(d.begin(), d.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || static_cast<unsigned char>(c) >= 0x80;
  });
}

// i= must be d= or a subdomain of it (RFC 6376 3.5).
bool identity_in_domain(std::string_view identity, std::string_view domain) {
  auto at = identity.rfind('@');
  if (at == std::string_view::npos) return false;
  std::string idom = ascii::lowered(identity.substr(at + 1)), dom = ascii::lowered(domain);
  return idom == dom || (idom.size() > dom.size() && idom.ends_with("." + dom));
}

Result<std::vector<std::string>> read_headers(std::string_view value) {
  auto names = split_colons(value);
  for (const std::string& n : names)
    if (n.empty() || std::any_of(n.begin(), n.end(), [](char c) { return c <= 0x20 || c > 0x7e; }))
      return make_error("tag h: bad header field name");
  if (std::none_of(names.begin(), names.end(), [](const std::string& n) { return same_name(n, "from"); }))
    return make_error("tag h: From is not signed");
  return names;
}

Result<void> read_required(const TagList& tags, Signature& s) {
  for (const char* name : {"v", "a", "b", "bh", "d", "h", "s"})
    if (!tags.get(name)) return make_error(fmt::format("tag {} is missing", name));
  if (*tags.get("v") != "1") return make_error("tag v: version is not 1");
  auto a = read_algorithm(*tags.get("a"));
  if (!a) return a.error();
  s.algorithm = *a;
  auto b = base64_tag("b", *tags.get("b"));
  if (!b) return b.error();
  s.signature = std::move(*b);
  auto bh = base64_tag("bh", *tags.get("bh"));
  if (!bh) return bh.error();
  s.body_hash = std::move(*bh);
  s.domain = *tags.get("d");
  if (!valid_domain(s.domain)) return make_error("tag d: not a domain");
  auto h = read_headers(*tags.get("h"));
  if (!h) return h.error();
  s.headers = std::move(*h);
  s.selector = *tags.get("s");
  if (!valid_domain(s.selector)) return make_error("tag s: not a selector");
  return {};
}

Result<void> read_optional(const TagList& tags, Signature& s) {
  if (auto c = tags.get("c"))
    if (auto r = read_canon(*c, s); !r) return r;
  if (auto q = tags.get("q")) {
    auto methods = split_colons(*q);
    if (std::find(methods.begin(), methods.end(), "dns/txt") == methods.end())
      return make_error("tag q: no dns/txt query method");
  }
  s.identity = "@" + s.domain;
  if (auto i = tags.get("i")) {
    if (!identity_in_domain(*i, s.domain)) return make_error("tag i: not within the domain of d");
    s.identity = *i;
  }
  for (auto [name, field] : {std::pair{"l", &s.length}, {"t", &s.timestamp}, {"x", &s.expires}}) {
    auto v = tags.get(name);
    if (!v) continue;
    auto n = number_tag(name, *v);
    if (!n) return n.error();
    *field = *n;
  }
  if (s.timestamp && s.expires && *s.expires < *s.timestamp)
    return make_error("tag x: expires before the signature's time");
  return {};
}

}  // namespace

std::string_view algorithm_name(Algorithm a) {
  return a == Algorithm::rsa_sha256 ? "rsa-sha256" : "ed25519-sha256";
}

Result<Signature> parse_signature(std::string_view value) {
  auto tags = parse_tags(value);
  if (!tags) return tags.error();
  Signature s;
  if (auto r = read_required(*tags, s); !r) return r.error();
  if (auto r = read_optional(*tags, s); !r) return r.error();
  return s;
}

namespace {

// Lines of about 78 octets; each token is glued to the one before with `glue`
// when it fits on the line, else starts a continuation line.
class Folder {
 public:
  explicit Folder(std::string start) : out_(std::move(start)), line_(out_.size()) {}
  void add(std::string_view token, std::string_view glue = " ") {
    if (line_ + glue.size() + token.size() > 78) {
      out_ += "\r\n\t";
      line_ = 1;
    } else {
      out_ += glue;
      line_ += glue.size();
    }
    out_ += token;
    line_ += token.size();
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  std::size_t line_;
};

}  // namespace

std::string compose_signature(const SignatureFields& f) {
  Folder fold("DKIM-Signature:");
  fold.add("v=1;");
  fold.add(fmt::format("a={};", algorithm_name(f.algorithm)));
  fold.add("c=relaxed/relaxed;");
  fold.add(fmt::format("d={};", f.domain));
  fold.add(fmt::format("s={};", f.selector));
  fold.add(fmt::format("t={};", f.timestamp));
  for (std::size_t i = 0; i < f.headers.size(); ++i) {
    bool last = i + 1 == f.headers.size();
    std::string token = (i == 0 ? "h=" : "") + f.headers[i] + (last ? ";" : ":");
    fold.add(token, i == 0 ? " " : "");
  }
  fold.add(fmt::format("bh={};", sasl::base64_encode(f.body_hash)));
  std::string out = fold.take();
  out += "\r\n\tb=";
  return out;
}

std::string add_signature_value(std::string field, std::string_view signature) {
  std::string b64 = sasl::base64_encode(signature);
  for (std::size_t i = 0; i < b64.size(); i += 72) {
    if (i > 0) field += "\r\n\t";
    field += b64.substr(i, 72);
  }
  field += "\r\n";
  return field;
}

}  // namespace appliance::dkim
