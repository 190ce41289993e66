// NAME
//   status.cpp - STATUS (and LIST's RETURN (STATUS ...)): counts without selecting.
#include <algorithm>

#include "imapd/commands.h"
#include "proto/imap/response.h"

namespace appliance::imapd {

namespace {

// DELETED-STORAGE (RFC 9208 4.3.2): what EXPUNGE would free, in KiB as STORAGE.
Result<std::uint64_t> deleted_storage(Context& c, store::Id mailbox) {
  auto messages = c.tenant->messages(c.account, mailbox);
  if (!messages) return messages.error();
  std::uint64_t bytes = 0;
  for (const auto& m : *messages)
    if (m.flags & store::kDeleted) bytes += m.size;
  return (bytes + 1023) / 1024;
}

}  // namespace

imap::Answer status(Context& c, const imap::Status& cmd) {
  auto box = find_mailbox(c, cmd.mailbox);
  if (!box) return store_failed(box.error());
  if (!*box) return imap::Answer::no("No such mailbox", "NONEXISTENT");
  auto n = c.tenant->counts(c.account, (*box)->id);
  if (!n) return store_failed(n.error());
  std::uint64_t freed = 0;
  if (std::find(cmd.items.begin(), cmd.items.end(), "DELETED-STORAGE") != cmd.items.end()) {
    auto d = deleted_storage(c, (*box)->id);
    if (!d) return store_failed(d.error());
    freed = *d;
  }
  std::vector<std::pair<std::string, std::uint64_t>> items;
  for (const auto& item : cmd.items) {
    std::uint64_t v = item == "MESSAGES"          ? n->messages
                      : item == "UIDNEXT"         ? (*box)->uidnext
                      : item == "UIDVALIDITY"     ? (*box)->uidvalidity
                      : item == "UNSEEN"          ? n->unseen
                      : item == "DELETED"         ? n->deleted
                      : item == "SIZE"            ? n->size
                      : item == "HIGHESTMODSEQ"   ? (*box)->modseq
                      : item == "DELETED-STORAGE" ? freed
                      : item == "APPENDLIMIT"     ? c.append_limit
                                                  : 0;  // RECENT: this server has none
    items.emplace_back(item, v);
  }
  return imap::Answer::ok(imap::status_data((*box)->name, c.utf8, items));
}

}  // namespace appliance::imapd
