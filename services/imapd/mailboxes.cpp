// NAME
//   mailboxes.cpp - CREATE, DELETE, RENAME, SUBSCRIBE and UNSUBSCRIBE.
#include "imapd/commands.h"

namespace appliance::imapd {

namespace {

// A trailing delimiter only says that children are meant (RFC 9051 6.3.4).
std::string clean_name(std::string_view name) {
  std::string out = canonical_name(name);
  while (out.size() > 1 && out.back() == kDelimiter) out.pop_back();
  return out;
}

bool valid_name(std::string_view name) {
  return !name.empty() && name.front() != kDelimiter &&
         name.find(std::string(2, kDelimiter)) == std::string_view::npos && name.size() <= 512;
}

}  // namespace

imap::Answer create(Context& c, const imap::Create& cmd) {
  std::string name = clean_name(cmd.mailbox);
  if (!valid_name(name)) return imap::Answer::no("Not a valid mailbox name", "CANNOT");
  auto existing = find_mailbox(c, name);
  if (!existing) return store_failed(existing.error());
  if (*existing) return imap::Answer::no("Mailbox exists", "ALREADYEXISTS");
  if (!cmd.use.empty()) return imap::Answer::no("Special use is fixed here", "USEATTR");
  auto made = c.tenant->create_mailbox(c.account, name);
  if (!made) return store_failed(made.error());
  return imap::Answer::ok();
}

imap::Answer remove(Context& c, const imap::Delete& cmd) {
  std::string name = canonical_name(cmd.mailbox);
  if (name == "INBOX") return imap::Answer::no("INBOX cannot be deleted", "CANNOT");
  auto box = find_mailbox(c, name);
  if (!box) return store_failed(box.error());
  if (!*box) return imap::Answer::no("No such mailbox", "NONEXISTENT");
  if (auto r = c.tenant->delete_mailbox(c.account, (*box)->id); !r) return store_failed(r.error());
  if (c.selected && c.selected->mailbox().id == (*box)->id) c.selected.reset();
  return imap::Answer::ok();
}

// RENAME moves the children too; renaming INBOX moves its messages into a
// new mailbox and leaves INBOX empty (RFC 9051 6.3.6).
imap::Answer rename(Context& c, const imap::Rename& cmd) {
  std::string from = canonical_name(cmd.from), to = clean_name(cmd.to);
  if (!valid_name(to)) return imap::Answer::no("Not a valid mailbox name", "CANNOT");
  auto boxes = c.tenant->mailboxes(c.account);
  if (!boxes) return store_failed(boxes.error());
  const store::Mailbox* source = nullptr;
  for (const auto& b : *boxes) {
    if (b.name == to) return imap::Answer::no("Mailbox exists", "ALREADYEXISTS");
    if (b.name == from) source = &b;
  }
  if (!source) return imap::Answer::no("No such mailbox", "NONEXISTENT");
  if (from == "INBOX") {
    auto made = c.tenant->create_mailbox(c.account, to);
    if (!made) return store_failed(made.error());
    auto moved = c.tenant->copy_messages(c.account, source->id, {{1, 0xffffffff}}, made->id, true);
    if (!moved) return store_failed(moved.error());
    return imap::Answer::ok();
  }
  std::string prefix = from + kDelimiter;
  for (const auto& b : *boxes) {
    if (b.name != from && !b.name.starts_with(prefix)) continue;
    auto r = c.tenant->rename_mailbox(c.account, b.id, to + b.name.substr(from.size()));
    if (!r) return store_failed(r.error());
  }
  return imap::Answer::ok();
}

imap::Answer subscribe(Context& c, const imap::Subscribe& cmd) {
  auto r = c.tenant->subscribe(c.account, clean_name(cmd.mailbox), cmd.subscribe);
  if (!r) return store_failed(r.error());
  return imap::Answer::ok();
}

}  // namespace appliance::imapd
