// NAME
//   search.cpp - SEARCH and UID SEARCH: charset, RETURN options, criteria.
#include <iconv.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>

#include "proto/imap/command.h"

namespace appliance::imap {

namespace {

using K = SearchKey::Kind;

struct Named {
  std::string_view name;
  K kind;
};

constexpr std::array<Named, 16> kFlagKeys = {{
    {"ALL", K::all},
    {"ANSWERED", K::answered},
    {"DELETED", K::deleted},
    {"DRAFT", K::draft},
    {"FLAGGED", K::flagged},
    {"SEEN", K::seen},
    {"RECENT", K::recent},
    {"NEW", K::new_},
    {"OLD", K::old},
    {"UNANSWERED", K::unanswered},
    {"UNDELETED", K::undeleted},
    {"UNDRAFT", K::undraft},
    {"UNFLAGGED", K::unflagged},
    {"UNSEEN", K::unseen},
    {"KEYWORD", K::keyword},
    {"UNKEYWORD", K::unkeyword},
}};
constexpr std::array<Named, 7> kTextKeys = {{
    {"BCC", K::bcc},
    {"BODY", K::body},
    {"CC", K::cc},
    {"FROM", K::from},
    {"SUBJECT", K::subject},
    {"TEXT", K::text},
    {"TO", K::to},
}};
constexpr std::array<Named, 6> kDateKeys = {{
    {"BEFORE", K::before},
    {"ON", K::on},
    {"SINCE", K::since},
    {"SENTBEFORE", K::sentbefore},
    {"SENTON", K::senton},
    {"SENTSINCE", K::sentsince},
}};
constexpr std::array<Named, 4> kNumberKeys = {{
    {"LARGER", K::larger},
    {"SMALLER", K::smaller},
    {"OLDER", K::older},
    {"YOUNGER", K::younger},
}};

template <std::size_t N>
const Named* find(const std::array<Named, N>& table, std::string_view name) {
  for (const auto& n : table)
    if (n.name == name) return &n;
  return nullptr;
}

Result<SearchKey> parse_key(Reader& r, int depth);

Result<SearchKey> with_arg(Reader& r, SearchKey k) {
  if (auto s = r.space(); !s) return s.error();
  if (k.kind == K::keyword || k.kind == K::unkeyword) {
    auto f = r.atom();
    if (!f) return f.error();
    k.field = *f;
  } else if (k.kind >= K::before && k.kind <= K::sentsince) {
    auto d = r.date();
    if (!d) return d.error();
    k.date = *d;
  } else if (k.kind == K::header) {
    auto f = r.astring();
    if (!f) return f.error();
    if (auto s = r.space(); !s) return s.error();
    k.field = to_upper(*f);
  }
  if (k.kind >= K::bcc && k.kind <= K::header) {
    auto t = r.astring();
    if (!t) return t.error();
    k.text = *t;
  }
  return k;
}

Result<SearchKey> number_key(Reader& r, K kind, bool nonzero) {
  if (auto s = r.space(); !s) return s.error();
  auto n = kind == K::modseq ? r.number64() : Result<std::uint64_t>(0);
  if (kind != K::modseq) {
    auto small = r.number(nonzero);
    if (!small) return small.error();
    n = *small;
  }
  if (!n) return n.error();
  SearchKey k;
  k.kind = kind;
  k.number = *n;
  return k;
}

// MODSEQ [entry-name entry-type] mod-sequence-valzer (RFC 7162 3.1.5).
Result<SearchKey> modseq_key(Reader& r) {
  if (auto s = r.space(); !s) return s.error();
  if (r.peek('"')) {
    if (auto name = r.string(); !name) return name.error();
    if (auto s = r.space(); !s) return s.error();
    if (!r.eat_word("PRIV") && !r.eat_word("SHARED") && !r.eat_word("ALL"))
      return make_error("Expected PRIV, SHARED or ALL");
    if (auto s = r.space(); !s) return s.error();
  }
  auto n = r.number64();
  if (!n) return n.error();
  SearchKey k;
  k.kind = K::modseq;
  k.number = *n;
  return k;
}

Result<SearchKey> children(Reader& r, K kind, int count, int depth) {
  SearchKey k;
  k.kind = kind;
  for (int i = 0; i < count; ++i) {
    if (auto s = r.space(); !s) return s.error();
    auto child = parse_key(r, depth + 1);
    if (!child) return child.error();
    k.children.push_back(std::move(*child));
  }
  return k;
}

Result<SearchKey> parenthesised(Reader& r, int depth) {
  SearchKey k;
  k.kind = K::and_;
  do {
    auto child = parse_key(r, depth + 1);
    if (!child) return child.error();
    k.children.push_back(std::move(*child));
  } while (r.eat(' '));
  if (!r.eat(')')) return make_error("Expected ')' after search keys");
  return k;
}

Result<SearchKey> named_key(Reader& r, const std::string& name, int depth) {
  if (auto* n = find(kFlagKeys, name))
    return n->kind == K::keyword || n->kind == K::unkeyword ? with_arg(r, SearchKey{n->kind})
                                                            : Result<SearchKey>(SearchKey{n->kind});
  if (auto* n = find(kTextKeys, name)) return with_arg(r, SearchKey{n->kind});
  if (auto* n = find(kDateKeys, name)) return with_arg(r, SearchKey{n->kind});
  if (auto* n = find(kNumberKeys, name))
    return number_key(r, n->kind, n->kind == K::older || n->kind == K::younger);
  if (name == "HEADER") return with_arg(r, SearchKey{K::header});
  if (name == "MODSEQ") return modseq_key(r);
  if (name == "NOT") return children(r, K::not_, 1, depth);
  if (name == "OR") return children(r, K::or_, 2, depth);
  if (name == "UID") {
    if (auto s = r.space(); !s) return s.error();
    auto set = r.sequence_set();
    if (!set) return set.error();
    SearchKey k{K::uid};
    k.set = std::move(*set);
    return k;
  }
  return make_error("Unknown search key " + name);
}

Result<SearchKey> parse_key(Reader& r, int depth) {
  if (depth > kMaxSearchDepth) return make_error("Search keys nested too deeply");
  if (r.eat('(')) return parenthesised(r, depth);
  if (r.peek('$') || r.peek('*') || r.peek_digit()) {
    auto set = r.sequence_set();
    if (!set) return set.error();
    SearchKey k{K::sequence};
    k.set = std::move(*set);
    return k;
  }
  auto name = r.atom();
  if (!name) return make_error("Expected a search key");
  return named_key(r, to_upper(*name), depth);
}

// RETURN (MIN MAX ALL COUNT SAVE) (RFC 4731, RFC 5182, RFC 9051 6.4.4).
Result<std::vector<std::string>> return_options(Reader& r) {
  std::vector<std::string> out;
  if (!r.eat('(')) return make_error("Expected '(' after RETURN");
  while (!r.eat(')')) {
    if (!out.empty() && !r.eat(' ')) return make_error("Expected a space between RETURN options");
    auto o = r.atom();
    if (!o) return o.error();
    std::string opt = to_upper(*o);
    if (opt != "MIN" && opt != "MAX" && opt != "ALL" && opt != "COUNT" && opt != "SAVE")
      return make_error("Unknown RETURN option " + opt);
    out.push_back(opt);
  }
  return out;
}

}  // namespace

Result<SearchKey> parse_search_keys(Reader& r) {
  SearchKey top;
  top.kind = K::and_;
  do {
    auto k = parse_key(r, 1);
    if (!k) return k.error();
    top.children.push_back(std::move(*k));
  } while (r.eat(' '));
  return top;
}

Result<Command> parse_search(Reader& r, bool uid) {
  Search s;
  s.uid = uid;
  if (r.eat_word("RETURN")) {
    auto opts = r.space()
                    ? return_options(r)
                    : Result<std::vector<std::string>>(make_error("Expected a space after RETURN"));
    if (!opts) return opts.error();
    s.extended = true;
    s.returns = std::move(*opts);
    if (auto sp = r.space(); !sp) return sp.error();
  }
  if (r.eat_word("CHARSET")) {
    if (auto sp = r.space(); !sp) return sp.error();
    auto cs = r.astring();
    if (!cs) return cs.error();
    s.charset = to_upper(*cs);
    if (auto sp = r.space(); !sp) return sp.error();
  }
  auto keys = parse_search_keys(r);
  if (!keys) return keys.error();
  s.key = std::move(*keys);
  if (auto e = r.end(); !e) return e.error();
  return Command{std::move(s)};
}

namespace {

bool taken_as_is(const std::optional<std::string>& charset) {
  return !charset || *charset == "UTF-8" || *charset == "US-ASCII";
}

// iconv's descriptor, closed on every path.
class Converter {
 public:
  explicit Converter(const std::string& charset) : cd_(iconv_open("UTF-8", charset.c_str())) {}
  ~Converter() {
    if (ok()) iconv_close(cd_);
  }
  Converter(const Converter&) = delete;
  Converter& operator=(const Converter&) = delete;
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }

  std::optional<std::string> convert(std::string_view in) {
    iconv(cd_, nullptr, nullptr, nullptr, nullptr);  // initial shift state
    std::string out(in.size() * 4 + 16, '\0');
    char* src = const_cast<char*>(in.data());
    std::size_t src_left = in.size();
    char* dst = out.data();
    std::size_t dst_left = out.size();
    if (iconv(cd_, &src, &src_left, &dst, &dst_left) == static_cast<std::size_t>(-1) ||
        iconv(cd_, nullptr, nullptr, &dst, &dst_left) == static_cast<std::size_t>(-1))
      return std::nullopt;  // an invalid or cut-off sequence
    out.resize(out.size() - dst_left);
    return out;
  }

 private:
  iconv_t cd_;
};

bool convert_strings(SearchKey& key, Converter& to_utf8) {
  if (!key.text.empty()) {
    auto text = to_utf8.convert(key.text);
    if (!text) return false;
    key.text = std::move(*text);
  }
  for (SearchKey& child : key.children)
    if (!convert_strings(child, to_utf8)) return false;
  return true;
}

}  // namespace

bool searchable_charset(const std::optional<std::string>& charset) {
  return taken_as_is(charset) || Converter(*charset).ok();
}

Result<SearchKey> search_in_utf8(SearchKey key, const std::optional<std::string>& charset) {
  if (taken_as_is(charset)) return key;
  Converter to_utf8(*charset);
  if (!to_utf8.ok()) return make_error("unsupported charset " + *charset);
  if (!convert_strings(key, to_utf8)) return make_error("a search string is not valid " + *charset);
  return key;
}

bool uses_modseq(const SearchKey& key) {
  if (key.kind == SearchKey::Kind::modseq) return true;
  return std::any_of(key.children.begin(), key.children.end(),
                     [](const SearchKey& k) { return uses_modseq(k); });
}

}  // namespace appliance::imap
