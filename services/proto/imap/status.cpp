// NAME
//   status.cpp - STATUS: a mailbox and the items asked for.
#include "proto/imap/command.h"

namespace appliance::imap {

namespace {

constexpr std::string_view kItems[] = {"MESSAGES", "UIDNEXT",       "UIDVALIDITY",
                                       "UNSEEN",   "DELETED",       "SIZE",
                                       "RECENT",   "HIGHESTMODSEQ", "APPENDLIMIT",
                                       "DELETED-STORAGE"};  // RFC 9208 4.3.2

}  // namespace

Result<std::vector<std::string>> parse_status_items(Reader& r) {
  if (!r.eat('(')) return make_error("Expected '(' before status items");
  std::vector<std::string> items;
  do {
    auto a = r.atom();
    if (!a) return a.error();
    std::string v = to_upper(*a);
    bool known = false;
    for (auto k : kItems) known = known || v == k;
    if (!known) return make_error("Unknown status item " + v);
    items.push_back(v);
  } while (r.eat(' '));
  if (!r.eat(')')) return make_error("Expected ')' after status items");
  return items;
}

Result<Command> parse_status(Reader& r, const ParseContext& c) {
  Status s;
  auto box = read_mailbox(r, c);
  if (!box) return box.error();
  s.mailbox = std::move(*box);
  if (auto sp = r.space(); !sp) return sp.error();
  auto items = parse_status_items(r);
  if (!items) return items.error();
  s.items = std::move(*items);
  if (auto e = r.end(); !e) return e.error();
  return Command{std::move(s)};
}

}  // namespace appliance::imap
