// NAME
//   append.cpp - APPEND: flags, date-time, literal or literal8; MULTIAPPEND.
#include "proto/imap/command.h"

namespace appliance::imap {

namespace {

Result<AppendMessage> message(Reader& r) {
  AppendMessage m;
  if (r.peek('(')) {
    auto f = r.flag_list();
    if (!f) return f.error();
    for (const auto& flag : *f)
      if (flag == "\\*" || iequals(flag, "\\Recent"))
        return make_error("Flag " + flag + " cannot be appended");
    m.flags = std::move(*f);
    if (auto s = r.space(); !s) return s.error();
  }
  if (r.peek('"')) {
    auto d = r.date_time();
    if (!d) return d.error();
    m.date = *d;
    if (auto s = r.space(); !s) return s.error();
  }
  m.binary = r.literal8_next();
  if (!m.binary && !r.peek('{')) return make_error("Expected the message as a literal");
  auto data = r.literal(m.binary);
  if (!data) return data.error();
  m.data = std::move(*data);
  return m;
}

}  // namespace

Result<Command> parse_append(Reader& r, const ParseContext& c) {
  Append a;
  auto box = read_mailbox(r, c);
  if (!box) return box.error();
  a.mailbox = std::move(*box);
  while (r.eat(' ')) {
    auto m = message(r);
    if (!m) return m.error();
    a.messages.push_back(std::move(*m));
  }
  if (a.messages.empty()) return make_error("Expected a message to append");
  if (auto e = r.end(); !e) return e.error();
  return Command{std::move(a)};
}

}  // namespace appliance::imap
