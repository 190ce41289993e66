// NAME
//   quota.cpp - GETQUOTA, GETQUOTAROOT and SETQUOTA (RFC 9208 4.2 to 4.4).
//
// DESCRIPTION
//   GETQUOTA names a quota root (an astring, "" included), GETQUOTAROOT a
//   mailbox, SETQUOTA a root and a list of resource limits:
//   "(" [resource SP number64 *(SP resource SP number64)] ")". Resource
//   names are atoms, kept upper case; whether one is known is the server's
//   business.
#include "proto/imap/command.h"

namespace appliance::imap {

namespace {

Result<std::vector<std::pair<std::string, std::uint64_t>>> limits(Reader& r) {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  if (!r.eat('(')) return make_error("Expected '(' before the resource limits");
  if (r.eat(')')) return out;
  do {
    auto name = r.atom();
    if (!name) return name.error();
    if (auto sp = r.space(); !sp) return sp.error();
    auto limit = r.number64();
    if (!limit) return limit.error();
    out.emplace_back(to_upper(*name), *limit);
  } while (r.eat(' '));
  if (!r.eat(')')) return make_error("Expected ')' after the resource limits");
  return out;
}

}  // namespace

Result<Command> parse_quota(Reader& r, const ParseContext& c, Quota::Kind kind) {
  Quota q;
  q.kind = kind;
  auto name = kind == Quota::Kind::get_root ? read_mailbox(r, c) : r.astring();
  if (!name) return name.error();
  q.name = std::move(*name);
  if (kind == Quota::Kind::set) {
    if (auto sp = r.space(); !sp) return sp.error();
    auto l = limits(r);
    if (!l) return l.error();
    q.limits = std::move(*l);
  }
  if (auto e = r.end(); !e) return e.error();
  return Command{std::move(q)};
}

}  // namespace appliance::imap
