// NAME
//   store.cpp - STORE and UID STORE: flags and keywords by UID range, FETCH FLAGS back.
#include "imapd/commands.h"
#include "proto/imap/response.h"

namespace appliance::imapd {

namespace {

constexpr std::uint32_t kAll =
    store::kSeen | store::kAnswered | store::kFlagged | store::kDeleted | store::kDraft;

// System flags and keywords are kept apart in the store: one call each, as needed.
Result<std::vector<store::Message>> apply(Context& c, const imap::Store& cmd,
                                          const std::vector<store::UidRange>& ranges) {
  using Mode = imap::Store::Mode;
  store::TenantStore& t = *c.tenant;
  store::Id box = c.selected->mailbox().id;
  std::uint32_t bits = flag_bits(cmd.flags);
  std::vector<std::string> keywords = keyword_names(cmd.flags);
  std::optional<Result<std::vector<store::Message>>> last;
  if (cmd.mode == Mode::replace || bits) {
    std::uint32_t add = cmd.mode == Mode::remove ? 0 : bits;
    std::uint32_t remove = cmd.mode == Mode::remove    ? bits
                           : cmd.mode == Mode::replace ? kAll & ~bits
                                                       : 0;
    last = t.store_flags(c.account, box, ranges, add, remove);
    if (!*last) return *last;
  }
  if (cmd.mode == Mode::replace || !keywords.empty()) {
    bool removing = cmd.mode == Mode::remove;
    last = t.store_keywords(
        c.account, box, ranges, removing ? std::vector<std::string>{} : keywords,
        removing ? keywords : std::vector<std::string>{}, cmd.mode == Mode::replace);
  }
  return last ? std::move(*last) : t.messages(c.account, box, ranges);
}

}  // namespace

imap::Answer store(Context& c, const imap::Store& cmd) {
  MailboxView& view = *c.selected;
  if (view.read_only()) return imap::Answer::no("The mailbox is read-only", "READ-ONLY");
  std::vector<std::uint32_t> uids;
  for (auto [seq, uid] : view.resolve(cmd.set, cmd.uid)) uids.push_back(uid);
  std::string out;
  if (!uids.empty()) {
    auto changed = apply(c, cmd, MailboxView::ranges(uids));
    if (!changed) return store_failed(changed.error());
    for (const auto& m : *changed) {
      view.set_flags(m);
      if (cmd.silent) continue;
      imap::FetchResponse r(view.seq(m.uid));
      if (cmd.uid) r.number("UID", m.uid);
      out += r.flags(flag_names(m.flags, m.keywords)).render();
    }
  }
  out += updates(c, cmd.uid);
  return imap::Answer::ok(std::move(out));
}

}  // namespace appliance::imapd
