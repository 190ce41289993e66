// NAME
//   status.cpp - STATUS (and LIST's RETURN (STATUS ...)): counts without selecting.
#include "imapd/commands.h"
#include "proto/imap/response.h"

namespace appliance::imapd {

imap::Answer status(Context& c, const imap::Status& cmd) {
  auto box = find_mailbox(c, cmd.mailbox);
  if (!box) return store_failed(box.error());
  if (!*box) return imap::Answer::no("No such mailbox", "NONEXISTENT");
  auto n = c.tenant->counts(c.account, (*box)->id);
  if (!n) return store_failed(n.error());
  std::vector<std::pair<std::string, std::uint64_t>> items;
  for (const auto& item : cmd.items) {
    std::uint64_t v = item == "MESSAGES"        ? n->messages
                      : item == "UIDNEXT"       ? (*box)->uidnext
                      : item == "UIDVALIDITY"   ? (*box)->uidvalidity
                      : item == "UNSEEN"        ? n->unseen
                      : item == "DELETED"       ? n->deleted
                      : item == "SIZE"          ? n->size
                      : item == "HIGHESTMODSEQ" ? (*box)->modseq
                                                : 0;  // RECENT: this server has none
    items.emplace_back(item, v);
  }
  return imap::Answer::ok(imap::status_data((*box)->name, c.utf8, items));
}

}  // namespace appliance::imapd
