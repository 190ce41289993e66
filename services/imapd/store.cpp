// NAME
//   store.cpp - STORE and UID STORE: flags by UID range, FETCH FLAGS back.
#include "imapd/commands.h"
#include "proto/imap/response.h"

namespace appliance::imapd {

imap::Answer store(Context& c, const imap::Store& cmd) {
  MailboxView& view = *c.selected;
  if (view.read_only()) return imap::Answer::no("The mailbox is read-only", "READ-ONLY");
  auto wanted = view.resolve(cmd.set, cmd.uid);
  std::vector<std::uint32_t> uids;
  for (auto [seq, uid] : wanted) uids.push_back(uid);
  std::uint32_t bits = flag_bits(cmd.flags), add = 0, remove = 0;
  constexpr std::uint32_t kAll =
      store::kSeen | store::kAnswered | store::kFlagged | store::kDeleted | store::kDraft;
  if (cmd.mode == imap::Store::Mode::add) add = bits;
  if (cmd.mode == imap::Store::Mode::remove) remove = bits;
  if (cmd.mode == imap::Store::Mode::replace) add = bits, remove = kAll & ~bits;
  std::string out;
  if (!uids.empty()) {
    auto changed =
        c.tenant->store_flags(c.account, view.mailbox().id, MailboxView::ranges(uids), add, remove);
    if (!changed) return store_failed(changed.error());
    for (const auto& m : *changed) {
      view.set_flags(m.uid, m.flags);
      if (cmd.silent) continue;
      imap::FetchResponse r(view.seq(m.uid));
      if (cmd.uid) r.number("UID", m.uid);
      out += r.flags(flag_names(m.flags)).render();
    }
  }
  out += updates(c, cmd.uid);
  return imap::Answer::ok(std::move(out));
}

}  // namespace appliance::imapd
