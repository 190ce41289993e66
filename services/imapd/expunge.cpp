// NAME
//   expunge.cpp - EXPUNGE and UID EXPUNGE (RFC 4315).
#include "imapd/commands.h"

namespace appliance::imapd {

imap::Answer expunge(Context& c, const imap::Expunge& cmd) {
  MailboxView& view = *c.selected;
  if (view.read_only()) return imap::Answer::no("The mailbox is read-only", "READ-ONLY");
  std::vector<store::UidRange> ranges{{1, 0xffffffff}};
  if (cmd.uids) {
    std::vector<std::uint32_t> uids;
    for (auto [seq, uid] : view.resolve(*cmd.uids, true)) uids.push_back(uid);
    ranges = MailboxView::ranges(uids);
  }
  auto gone = c.tenant->expunge_messages(c.account, view.mailbox().id, ranges);
  if (!gone) return store_failed(gone.error());
  std::string out = view.expunged(*gone);
  out += updates(c, true);
  return imap::Answer::ok(std::move(out));
}

}  // namespace appliance::imapd
