// NAME
//   store.cpp - STORE and UID STORE: +/-FLAGS[.SILENT], UNCHANGEDSINCE.
#include "proto/imap/command.h"

namespace appliance::imap {

namespace {

// (UNCHANGEDSINCE n) (RFC 7162 3.1.3).
Result<void> modifier(Reader& r, Store& s) {
  if (!r.eat('(')) return {};
  if (!r.eat_word("UNCHANGEDSINCE")) return make_error("Unknown store modifier");
  if (auto sp = r.space(); !sp) return sp.error();
  auto n = r.number64();
  if (!n) return n.error();
  s.unchangedsince = *n;
  if (!r.eat(')')) return make_error("Expected ')' after the store modifier");
  return r.space();
}

Result<void> action(Reader& r, Store& s) {
  s.mode = r.eat('+') ? Store::Mode::add : r.eat('-') ? Store::Mode::remove : Store::Mode::replace;
  auto word = r.atom();
  std::string name = word ? to_upper(*word) : "";
  if (name != "FLAGS" && name != "FLAGS.SILENT")
    return make_error("Expected FLAGS, +FLAGS or -FLAGS, optionally .SILENT");
  s.silent = name == "FLAGS.SILENT";
  return r.space();
}

// RFC 9051 6.4.6: a parenthesised list, or flags separated by spaces.
Result<std::vector<std::string>> flags(Reader& r) {
  if (r.peek('(')) return r.flag_list();
  std::vector<std::string> out;
  do {
    auto f = r.flag();
    if (!f) return f.error();
    out.push_back(std::move(*f));
  } while (r.eat(' '));
  return out;
}

}  // namespace

Result<Command> parse_store(Reader& r, bool uid) {
  Store s;
  s.uid = uid;
  auto set = r.sequence_set();
  if (!set) return set.error();
  s.set = std::move(*set);
  if (auto sp = r.space(); !sp) return sp.error();
  if (auto m = modifier(r, s); !m) return m.error();
  if (auto a = action(r, s); !a) return a.error();
  auto f = flags(r);
  if (!f) return f.error();
  for (const auto& flag : *f)
    if (flag == "\\*" || iequals(flag, "\\Recent"))
      return make_error("Flag " + flag + " cannot be stored");
  s.flags = std::move(*f);
  if (auto e = r.end(); !e) return e.error();
  return Command{std::move(s)};
}

Result<Command> parse_copy(Reader& r, const ParseContext& c, bool uid, bool move) {
  Copy copy;
  copy.uid = uid;
  copy.move = move;
  auto set = r.sequence_set();
  if (!set) return set.error();
  copy.set = std::move(*set);
  if (auto sp = r.space(); !sp) return sp.error();
  auto box = read_mailbox(r, c);
  if (!box) return box.error();
  copy.mailbox = std::move(*box);
  if (auto e = r.end(); !e) return e.error();
  return Command{std::move(copy)};
}

}  // namespace appliance::imap
