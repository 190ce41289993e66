// NAME
//   store.cpp - STORE and UID STORE: flags and keywords by UID range, FETCH FLAGS back.
//
// DESCRIPTION
//   System flags and keywords change in one store transaction
//   (TenantStore::update_flags), which also keeps UNCHANGEDSINCE (RFC 7162
//   3.1.3): messages changed after it are left alone and named in
//   [MODIFIED ...], by UID for UID STORE, else by sequence number. With
//   CONDSTORE enabled every FETCH sent back carries UID and MODSEQ, and
//   .SILENT still tells the new MODSEQ of what changed.
#include <fmt/format.h>

#include "imapd/commands.h"
#include "proto/imap/response.h"

namespace appliance::imapd {

namespace {

constexpr std::uint32_t kAll =
    store::kSeen | store::kAnswered | store::kFlagged | store::kDeleted | store::kDraft;

store::FlagUpdate flag_update(const imap::Store& cmd) {
  using Mode = imap::Store::Mode;
  std::uint32_t bits = flag_bits(cmd.flags);
  std::vector<std::string> keywords = keyword_names(cmd.flags);
  store::FlagUpdate u;
  u.add = cmd.mode == Mode::remove ? 0 : bits;
  u.remove = cmd.mode == Mode::remove ? bits : cmd.mode == Mode::replace ? kAll & ~bits : 0;
  (cmd.mode == Mode::remove ? u.remove_keywords : u.add_keywords) = keywords;
  u.replace_keywords = cmd.mode == Mode::replace;
  u.unchangedsince = cmd.unchangedsince;
  return u;
}

// The FETCH response for one message after the STORE, or nothing.
std::string fetch_back(const MailboxView& view, const imap::Store& cmd, const store::Message& m,
                       bool changed) {
  bool condstore = view.condstore();
  if (cmd.silent && !(condstore && changed)) return {};
  imap::FetchResponse r(view.seq(m.uid));
  if (cmd.uid || condstore) r.number("UID", m.uid);
  if (!cmd.silent) r.flags(flag_names(m.flags, m.keywords));
  if (condstore) r.raw("MODSEQ", fmt::format("({})", m.modseq));
  return r.render();
}

}  // namespace

imap::Answer store(Context& c, const imap::Store& cmd) {
  MailboxView& view = *c.selected;
  if (view.read_only()) return imap::Answer::no("The mailbox is read-only", "READ-ONLY");
  std::vector<std::uint32_t> uids;
  for (auto [seq, uid] : view.resolve(cmd.set, cmd.uid)) uids.push_back(uid);
  std::string out, code;
  if (!uids.empty()) {
    auto result = c.tenant->update_flags(c.account, view.mailbox().id, MailboxView::ranges(uids),
                                         flag_update(cmd));
    if (!result) return store_failed(result.error());
    for (const auto& m : result->messages) {
      std::uint32_t seq = view.seq(m.uid);
      if (!seq || std::count(result->modified.begin(), result->modified.end(), m.uid)) continue;
      bool changed = m.modseq != view.modseq(seq);
      view.set_flags(m);
      out += fetch_back(view, cmd, m, changed);
    }
    std::vector<std::uint32_t> modified;
    for (std::uint32_t uid : result->modified) modified.push_back(cmd.uid ? uid : view.seq(uid));
    if (!modified.empty()) code = "MODIFIED " + imap::compress(modified);
  }
  out += updates(c, cmd.uid);
  imap::Answer a = imap::Answer::ok(std::move(out), std::move(code));
  if (!a.code.empty()) a.text = "Conditional STORE failed";
  return a;
}

}  // namespace appliance::imapd
