// NAME
//   list.cpp - LIST (with LIST-EXTENDED, SPECIAL-USE, LIST-STATUS) and LSUB.
#include "proto/imap/command.h"
#include "proto/imap/mailbox_name.h"

namespace appliance::imap {

namespace {

bool one_of(std::string_view v, std::initializer_list<std::string_view> set) {
  for (auto s : set)
    if (v == s) return true;
  return false;
}

// A reference or a pattern: may be empty, wildcards allowed.
Result<std::string> pattern(Reader& r, const ParseContext& c, bool reference) {
  auto raw = reference ? r.astring() : r.list_mailbox();
  if (!raw) return raw.error();
  if (c.utf8) return valid_utf8(*raw) ? *raw : Result<std::string>(make_error("Invalid UTF-8"));
  return mutf7_decode(*raw);
}

Result<std::vector<std::string>> options(Reader& r, bool selection) {
  std::vector<std::string> out;
  if (!r.eat('(')) return make_error("Expected '('");
  while (!r.eat(')')) {
    if (!out.empty() && !r.eat(' ')) return make_error("Expected a space between options");
    auto o = r.atom();
    if (!o) return o.error();
    std::string v = to_upper(*o);
    bool known = selection ? one_of(v, {"SUBSCRIBED", "REMOTE", "RECURSIVEMATCH", "SPECIAL-USE"})
                           : one_of(v, {"SUBSCRIBED", "CHILDREN", "SPECIAL-USE", "STATUS"});
    if (!known) return make_error("Unknown LIST option " + v);
    out.push_back(v);
    if (v == "STATUS") break;  // its item list follows
  }
  return out;
}

// RETURN (... STATUS (MESSAGES UNSEEN) ...)
Result<void> return_options(Reader& r, List& l) {
  if (!r.eat_word("RETURN") || !r.eat(' ')) return make_error("Expected RETURN");
  auto opts = options(r, false);
  if (!opts) return opts.error();
  l.returns = std::move(*opts);
  if (!l.returns.empty() && l.returns.back() == "STATUS") {
    auto items = r.space() ? parse_status_items(r)
                           : Result<std::vector<std::string>>(make_error("Expected status items"));
    if (!items) return items.error();
    l.status_items = std::move(*items);
    while (r.eat(' ')) {
      auto more = r.atom();
      if (!more) return more.error();
      l.returns.push_back(to_upper(*more));
    }
    if (!r.eat(')')) return make_error("Expected ')' after RETURN options");
  }
  return {};
}

Result<void> patterns(Reader& r, const ParseContext& c, List& l) {
  bool many = r.eat('(');
  do {
    auto p = pattern(r, c, false);
    if (!p) return p.error();
    l.patterns.push_back(std::move(*p));
  } while (many && r.eat(' '));
  if (many && !r.eat(')')) return make_error("Expected ')' after the patterns");
  return {};
}

}  // namespace

Result<Command> parse_list(Reader& r, const ParseContext& c, bool lsub) {
  List l;
  l.lsub = lsub;
  if (!lsub && r.peek('(')) {
    auto sel = options(r, true);
    if (!sel) return sel.error();
    l.selection = std::move(*sel);
    l.extended = true;
    if (auto s = r.space(); !s) return s.error();
  }
  auto ref = pattern(r, c, true);
  if (!ref) return ref.error();
  l.reference = std::move(*ref);
  if (auto s = r.space(); !s) return s.error();
  if (lsub && r.peek('(')) return make_error("LSUB takes one pattern");
  if (auto p = patterns(r, c, l); !p) return p.error();
  if (!lsub && r.eat(' ')) {
    if (auto ro = return_options(r, l); !ro) return ro.error();
    l.extended = true;
  }
  if (auto e = r.end(); !e) return e.error();
  return Command{std::move(l)};
}

}  // namespace appliance::imap
