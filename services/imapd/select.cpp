// NAME
//   select.cpp - SELECT and EXAMINE (with CONDSTORE and QRESYNC), CLOSE,
//   UNSELECT, NOOP's updates, and finding mailboxes by name.
#include <fmt/format.h>

#include "common/log.h"
#include "imapd/commands.h"
#include "proto/imap/response.h"

namespace appliance::imapd {

namespace {
constexpr std::string_view kFlags = "\\Answered \\Flagged \\Deleted \\Seen \\Draft";
}  // namespace

imap::Answer store_failed(const Error& e) {
  log::error("store call failed", {{"error", e.message}});
  return imap::Answer::no("Temporary failure; try again later", "UNAVAILABLE");
}

std::string canonical_name(std::string_view name) {
  return imap::iequals(name, "INBOX") ? std::string("INBOX") : std::string(name);
}

std::string_view special_use(std::string_view name) {
  for (const auto& f : kDefaultFolders)
    if (f.name == name) return f.use;
  return {};
}

Result<void> ensure_default_folders(store::TenantStore& t, store::Id account) {
  auto boxes = t.mailboxes(account);
  if (!boxes) return boxes.error();
  for (const auto& f : kDefaultFolders) {
    bool have = std::any_of(boxes->begin(), boxes->end(),
                            [&](const store::Mailbox& m) { return m.name == f.name; });
    if (have) continue;
    // Another session of the same account may have made it meanwhile.
    if (auto m = t.create_mailbox(account, f.name); !m) {
      auto again = t.mailboxes(account);
      if (!again) return again.error();
      if (std::none_of(again->begin(), again->end(),
                       [&](const store::Mailbox& b) { return b.name == f.name; }))
        return m.error();
    }
  }
  return {};
}

Result<std::optional<store::Mailbox>> find_mailbox(Context& c, std::string_view name) {
  auto boxes = c.tenant->mailboxes(c.account);
  if (!boxes) return boxes.error();
  std::string want = canonical_name(name);
  for (auto& m : *boxes)
    if (m.name == want) return std::optional<store::Mailbox>(std::move(m));
  return std::optional<store::Mailbox>();
}

namespace {

// SELECT (QRESYNC ...), RFC 7162 3.2.5: the known UIDs expunged since the
// client's modseq, from the store's expunge records (so seq-match data is not
// needed), then the flags of every message changed since, new ones included.
Result<std::string> resync(Context& c, const imap::Qresync& q,
                           const std::vector<store::Message>& messages) {
  const MailboxView& view = *c.selected;
  std::vector<store::UidRange> known{{1, 0xffffffff}};
  if (q.known_uids) known = view.uid_ranges(*q.known_uids);
  auto gone = c.tenant->vanished(c.account, view.mailbox().id, q.modseq, known);
  if (!gone) return gone.error();
  std::string out = gone->empty() ? "" : imap::vanished(*gone, true);
  for (const auto& m : messages)
    if (m.modseq > q.modseq) out += view.flag_update(view.seq(m.uid), m);
  return out;
}

}  // namespace

imap::Answer select(Context& c, const imap::Select& cmd) {
  // RFC 9051 7.1: a mailbox closed by selecting another is announced.
  std::string out = c.selected ? imap::status_response("", imap::Cond::ok, "CLOSED",
                                                       "Previous mailbox closed")
                               : "";
  c.selected.reset();
  auto box = find_mailbox(c, cmd.mailbox);
  if (!box) return store_failed(box.error());
  if (!*box) return imap::Answer::no("No such mailbox", "NONEXISTENT");
  auto messages = c.tenant->messages(c.account, (*box)->id);
  if (!messages) return store_failed(messages.error());
  c.selected.emplace(**box, cmd.read_only, *messages);
  c.selected->set_modes(c.condstore, c.qresync);
  const auto& m = c.selected->mailbox();
  out += fmt::format("* FLAGS ({})\r\n", kFlags);
  out += imap::exists(c.selected->exists());
  out += "* 0 RECENT\r\n";
  out += imap::status_response("", imap::Cond::ok, imap::code::uidvalidity(m.uidvalidity),
                               "UIDs valid");
  out += imap::status_response("", imap::Cond::ok, imap::code::uidnext(m.uidnext),
                               "Predicted next UID");
  out += imap::status_response("", imap::Cond::ok, imap::code::highestmodseq(m.modseq), "Highest");
  // \* : any keyword may be set, and is kept.
  std::string permanent =
      cmd.read_only ? "PERMANENTFLAGS ()" : fmt::format("PERMANENTFLAGS ({} \\*)", kFlags);
  out += imap::status_response("", imap::Cond::ok, permanent, "Flags permitted");
  // A UIDVALIDITY that changed makes the client's state worthless: a plain SELECT.
  if (cmd.qresync && cmd.qresync->uidvalidity == m.uidvalidity) {
    auto changes = resync(c, *cmd.qresync, *messages);
    if (!changes) return store_failed(changes.error());
    out += *changes;
  }
  return imap::Answer::ok(std::move(out), cmd.read_only ? "READ-ONLY" : "READ-WRITE");
}

// CLOSE expunges silently (RFC 9051 6.4.1); UNSELECT does not.
imap::Answer close(Context& c, bool expunge) {
  if (expunge && c.selected && !c.selected->read_only()) {
    auto gone = c.tenant->expunge_messages(c.account, c.selected->mailbox().id, {{1, 0xffffffff}});
    if (!gone) return store_failed(gone.error());
  }
  c.selected.reset();
  return imap::Answer::ok();
}

std::string updates(Context& c, bool expunges) {
  if (!c.selected) return {};
  auto u = c.selected->sync(*c.tenant, c.account, expunges);
  if (!u) {
    log::error("mailbox sync failed", {{"error", u.message()}});
    return {};
  }
  return std::move(*u);
}

}  // namespace appliance::imapd
