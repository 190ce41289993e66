// NAME
//   fetch.cpp - FETCH and UID FETCH from rows, summaries and blob slices.
//
// DESCRIPTION
//   ENVELOPE and BODYSTRUCTURE come from the summary made at delivery;
//   sections are slices of the stored bytes. Fetching a body without PEEK
//   sets \Seen first (one store_flags for the whole set), and the new FLAGS
//   go out with the data.
//
//   CONDSTORE (RFC 7162 3.1.4): CHANGEDSINCE keeps only messages whose
//   MODSEQ is above it and asks for MODSEQ; once CONDSTORE is enabled, a
//   FETCH that sets \Seen sends UID and MODSEQ with the new FLAGS. QRESYNC
//   (3.2.6): UID FETCH ... (CHANGEDSINCE m VANISHED) first sends the UIDs of
//   the set expunged since m, from the store's expunge records.
#include <fmt/format.h>

#include <map>

#include "imapd/dates.h"
#include "imapd/message_data.h"
#include "proto/imap/response.h"

namespace appliance::imapd {

namespace {

using K = imap::FetchItem::Kind;

bool sets_seen(const imap::FetchItem& i) {
  return !i.peek && (i.kind == K::body_section || i.kind == K::binary || i.kind == K::rfc822 ||
                     i.kind == K::rfc822_text);
}

std::optional<std::string> partial(std::optional<std::string> data, const imap::FetchItem& i) {
  if (!data || !i.partial) return data;
  auto [origin, length] = *i.partial;
  if (origin >= data->size()) return std::string();
  return data->substr(origin, length);
}

// BINARY[part]: the part's body without its transfer encoding.
Result<std::optional<std::string>> binary(MessageData& d, const imap::Section& s) {
  auto sum = d.summary();
  if (!sum) return sum.error();
  const mime::Part* p = mime::find((*sum)->root, s.part, nullptr);
  auto raw = d.section(s);
  if (!raw || !*raw || !p || p->multipart) return raw;
  auto decoded = mime::decode(**raw, p->encoding);
  if (!decoded) return decoded.error();
  return std::optional<std::string>(std::move(*decoded));
}

Result<void> add_item(imap::FetchResponse& r, MessageData& d, const imap::FetchItem& i) {
  const store::Message& m = d.row();
  auto structure = [&](std::string_view name, std::string mime::Summary::*field) -> Result<void> {
    auto s = d.summary();
    if (!s) return s.error();
    r.raw(name, (**s).*field);
    return {};
  };
  auto data = [&](Result<std::optional<std::string>> bytes) -> Result<void> {
    if (!bytes) return bytes.error();
    r.data(i, partial(std::move(*bytes), i));
    return {};
  };
  switch (i.kind) {
    case K::flags:
      r.flags(flag_names(m.flags, m.keywords));
      return {};
    case K::internaldate:
      r.internaldate(date_time(m.internal_date));
      return {};
    case K::rfc822_size:
      r.number("RFC822.SIZE", m.size);
      return {};
    case K::uid:
      r.number("UID", m.uid);
      return {};
    case K::modseq:
      r.raw("MODSEQ", fmt::format("({})", m.modseq));
      return {};
    case K::envelope:
      return structure("ENVELOPE", &mime::Summary::envelope);
    case K::body:
      return structure("BODY", &mime::Summary::body);
    case K::bodystructure:
      return structure("BODYSTRUCTURE", &mime::Summary::bodystructure);
    case K::rfc822:
      return data(d.section({}));
    case K::rfc822_header:
      return data(d.section({{}, "HEADER", {}}));
    case K::rfc822_text:
      return data(d.section({{}, "TEXT", {}}));
    case K::body_section:
      return data(d.section(i.section));
    case K::binary:
    case K::binary_size:
      return data(binary(d, i.section));
  }
  return {};
}

// "* VANISHED (EARLIER) ..." for UID FETCH (CHANGEDSINCE m VANISHED).
Result<std::string> vanished_since(Context& c, const imap::Fetch& cmd) {
  if (!cmd.vanished || !cmd.changedsince) return std::string();
  const MailboxView& view = *c.selected;
  auto gone = c.tenant->vanished(c.account, view.mailbox().id, *cmd.changedsince,
                                 view.uid_ranges(cmd.set));
  if (!gone) return gone.error();
  return gone->empty() ? std::string() : imap::vanished(*gone, true);
}

// One message's FETCH response.
Result<std::string> respond(Context& c, const imap::Fetch& cmd, std::uint32_t seq,
                            const store::Message& row) {
  MailboxView& view = *c.selected;
  bool flags_changed = row.flags != view.flags(seq) || row.keywords != view.keywords(seq);
  view.set_flags(row);
  imap::FetchResponse r(seq);
  bool has_uid = false, has_flags = false, has_modseq = false;
  for (const auto& i : cmd.items)
    has_uid |= i.kind == K::uid, has_flags |= i.kind == K::flags, has_modseq |= i.kind == K::modseq;
  bool tell_condstore = view.condstore() && flags_changed;
  if ((cmd.uid || tell_condstore) && !has_uid) r.number("UID", row.uid);
  MessageData d(c, row);
  for (const auto& i : cmd.items)
    if (auto a = add_item(r, d, i); !a) return a.error();
  if (flags_changed && !has_flags) r.flags(flag_names(row.flags, row.keywords));
  if ((cmd.changedsince || tell_condstore) && !has_modseq)
    r.raw("MODSEQ", fmt::format("({})", row.modseq));
  return r.render();
}

}  // namespace

imap::Answer fetch(Context& c, const imap::Fetch& cmd) {
  MailboxView& view = *c.selected;
  auto vanished = vanished_since(c, cmd);
  if (!vanished) return store_failed(vanished.error());
  auto wanted = view.resolve(cmd.set, cmd.uid);
  std::vector<std::uint32_t> uids, unseen;
  for (auto [seq, uid] : wanted) {
    uids.push_back(uid);
    if (!(view.flags(seq) & store::kSeen)) unseen.push_back(uid);
  }
  bool seen = !view.read_only() && std::any_of(cmd.items.begin(), cmd.items.end(), sets_seen);
  std::map<std::uint32_t, store::Message> rows;
  // Only what is not seen yet: a write, and a new MODSEQ, only where something changes.
  if (seen && !unseen.empty()) {
    auto r = c.tenant->store_flags(c.account, view.mailbox().id, MailboxView::ranges(unseen),
                                   store::kSeen, 0);
    if (!r) return store_failed(r.error());
  }
  auto loaded = c.tenant->messages(c.account, view.mailbox().id, MailboxView::ranges(uids));
  if (!loaded) return store_failed(loaded.error());
  for (auto& m : *loaded) rows.emplace(m.uid, std::move(m));
  std::string out = std::move(*vanished);
  for (auto [seq, uid] : wanted) {
    auto row = rows.find(uid);
    if (row == rows.end()) continue;  // expunged by another session, not yet announced
    if (cmd.changedsince && row->second.modseq <= *cmd.changedsince) continue;
    auto one = respond(c, cmd, seq, row->second);
    if (!one) return store_failed(one.error());
    out += *one;
  }
  out += updates(c, cmd.uid);
  return imap::Answer::ok(std::move(out));
}

}  // namespace appliance::imapd
