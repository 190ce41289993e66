// NAME
//   copy.cpp - COPY and MOVE (RFC 6851), with COPYUID (RFC 4315); refused
//   with [OVERQUOTA] when the account's quota would be passed.
#include "imapd/commands.h"
#include "proto/imap/response.h"

namespace appliance::imapd {

namespace {

// What a COPY of these messages adds to the account.
Result<std::uint64_t> size_of(Context& c, const std::vector<std::uint32_t>& uids) {
  auto rows = c.tenant->messages(c.account, c.selected->mailbox().id, MailboxView::ranges(uids));
  if (!rows) return rows.error();
  std::uint64_t bytes = 0;
  for (const auto& m : *rows) bytes += m.size;
  return bytes;
}

}  // namespace

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
  auto bytes = cmd.move ? Result<std::uint64_t>(0) : size_of(c, uids);
  if (!bytes) return store_failed(bytes.error());
  // MOVE takes no more room, but is refused too when the account is already
  // over. A COPY is checked again by the store, in its transaction.
  if (auto refused = over_quota(c, *bytes)) return *refused;
  auto copied = c.tenant->copy_messages(c.account, view.mailbox().id, MailboxView::ranges(uids),
                                        (*target)->id, cmd.move);
  if (!copied) return store_failed(copied.error());
  if (copied->over_quota) return refused_over_quota();
  std::vector<std::uint32_t> from, to;
  for (const auto& m : copied->messages) from.push_back(m.from_uid), to.push_back(m.uid);
  std::string code = from.empty() ? "" : imap::code::copyuid((*target)->uidvalidity, from, to);
  if (!cmd.move) return imap::Answer::ok(updates(c, cmd.uid), code);
  // MOVE: COPYUID comes untagged before the expunges (RFC 6851 4.3).
  std::string out = code.empty() ? "" : imap::status_response("", imap::Cond::ok, code, "Moved");
  out += view.expunged(from);
  out += updates(c, true);
  return imap::Answer::ok(std::move(out));
}

}  // namespace appliance::imapd
