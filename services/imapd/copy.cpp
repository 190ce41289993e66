// NAME
//   copy.cpp - COPY and MOVE (RFC 6851), with COPYUID (RFC 4315).
#include "imapd/commands.h"
#include "proto/imap/response.h"

namespace appliance::imapd {

imap::Answer copy(Context& c, const imap::Copy& cmd) {
  MailboxView& view = *c.selected;
  if (cmd.move && view.read_only())
    return imap::Answer::no("The mailbox is read-only", "READ-ONLY");
  auto target = find_mailbox(c, cmd.mailbox);
  if (!target) return store_failed(target.error());
  if (!*target) return imap::Answer::no("No such mailbox", "TRYCREATE");
  std::vector<std::uint32_t> uids;
  for (auto [seq, uid] : view.resolve(cmd.set, cmd.uid)) uids.push_back(uid);
  if (uids.empty()) return imap::Answer::ok();
  auto copied = c.tenant->copy_messages(c.account, view.mailbox().id, MailboxView::ranges(uids),
                                        (*target)->id, cmd.move);
  if (!copied) return store_failed(copied.error());
  std::vector<std::uint32_t> from, to;
  for (const auto& m : *copied) from.push_back(m.from_uid), to.push_back(m.uid);
  std::string code = copied->empty() ? "" : imap::code::copyuid((*target)->uidvalidity, from, to);
  if (!cmd.move) return imap::Answer::ok(updates(c, cmd.uid), code);
  // MOVE: COPYUID comes untagged before the expunges (RFC 6851 4.3).
  std::string out = code.empty() ? "" : imap::status_response("", imap::Cond::ok, code, "Moved");
  out += view.expunged(from);
  out += updates(c, true);
  return imap::Answer::ok(std::move(out));
}

}  // namespace appliance::imapd
