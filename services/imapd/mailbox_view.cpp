// NAME
//   mailbox_view.cpp - sequence numbers, UID sets and updates from the store.
#include "imapd/mailbox_view.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "proto/imap/response.h"
#include "store/mailbox_sql.h"

namespace appliance::imapd {

namespace {
constexpr std::pair<std::uint32_t, std::string_view> kFlags[] = {{store::kSeen, "\\Seen"},
                                                                 {store::kAnswered, "\\Answered"},
                                                                 {store::kFlagged, "\\Flagged"},
                                                                 {store::kDeleted, "\\Deleted"},
                                                                 {store::kDraft, "\\Draft"}};
}  // namespace

std::vector<std::string> flag_names(std::uint32_t flags, const std::string& keywords) {
  std::vector<std::string> out;
  for (auto [bit, name] : kFlags)
    if (flags & bit) out.emplace_back(name);
  for (auto& k : store::sql::split_keywords(keywords)) out.push_back(std::move(k));
  return out;
}

std::vector<std::string> keyword_names(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& n : names)
    if (!n.empty() && n[0] != '\\') out.push_back(n);
  return out;
}

std::uint32_t flag_bits(const std::vector<std::string>& names) {
  std::uint32_t out = 0;
  for (const auto& n : names)
    for (auto [bit, name] : kFlags)
      if (imap::iequals(n, name)) out |= bit;
  return out;
}

MailboxView::MailboxView(store::Mailbox mailbox, bool read_only,
                         const std::vector<store::Message>& messages)
    : mailbox_(std::move(mailbox)), read_only_(read_only) {
  for (const auto& m : messages) add(m);
}

void MailboxView::add(const store::Message& m) {
  uids_.push_back(m.uid), flags_.push_back(m.flags), keywords_.push_back(m.keywords);
  modseqs_.push_back(m.modseq);
}

void MailboxView::remove_at(std::uint32_t seq) {
  uids_.erase(uids_.begin() + (seq - 1));
  flags_.erase(flags_.begin() + (seq - 1));
  keywords_.erase(keywords_.begin() + (seq - 1));
  modseqs_.erase(modseqs_.begin() + (seq - 1));
}

std::string MailboxView::flag_update(std::uint32_t seq, const store::Message& m) const {
  imap::FetchResponse r(seq);
  r.number("UID", m.uid).flags(flag_names(m.flags, m.keywords));
  if (condstore_) r.raw("MODSEQ", fmt::format("({})", m.modseq));
  return r.render();
}

std::uint32_t MailboxView::seq(std::uint32_t uid) const {
  auto it = std::lower_bound(uids_.begin(), uids_.end(), uid);
  return it != uids_.end() && *it == uid ? static_cast<std::uint32_t>(it - uids_.begin()) + 1 : 0;
}

bool MailboxView::names(const imap::SequenceSet& set, bool uid, std::uint32_t seq) const {
  if (set.saved) return std::binary_search(saved_.begin(), saved_.end(), uids_[seq - 1]);
  std::uint32_t n = uid ? uids_[seq - 1] : seq;
  std::uint32_t largest = uid ? largest_uid() : exists();
  // "n:*" names the largest even when n is larger (RFC 9051 6.4.8).
  return set.contains(n, largest);
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> MailboxView::resolve(
    const imap::SequenceSet& set, bool uid) const {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  if (set.saved) {
    for (std::uint32_t u : saved_)
      if (auto s = seq(u)) out.emplace_back(s, u);
    return out;
  }
  for (std::uint32_t s = 1; s <= exists(); ++s)
    if (names(set, uid, s)) out.emplace_back(s, uids_[s - 1]);
  return out;
}

void MailboxView::save(std::vector<std::uint32_t> uids) {
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  saved_ = std::move(uids);
}

std::vector<store::UidRange> MailboxView::ranges(std::vector<std::uint32_t> uids) {
  std::sort(uids.begin(), uids.end());
  std::vector<store::UidRange> out;
  for (std::uint32_t u : uids) {
    if (!out.empty() && out.back().last + 1 == u)
      out.back().last = u;
    else if (out.empty() || out.back().last != u)
      out.push_back({u, u});
  }
  return out;
}

std::vector<store::UidRange> MailboxView::uid_ranges(const imap::SequenceSet& set) const {
  if (set.saved) return ranges(saved_);
  std::vector<store::UidRange> out;
  for (const auto& r : set.ranges) {
    std::uint32_t a = r.first ? r.first : 0xffffffff, b = r.last ? r.last : 0xffffffff;
    out.push_back({std::min(a, b), std::max(a, b)});
  }
  return out;
}

void MailboxView::set_flags(const store::Message& m) {
  if (auto s = seq(m.uid))
    flags_[s - 1] = m.flags, keywords_[s - 1] = m.keywords, modseqs_[s - 1] = m.modseq;
}

std::string MailboxView::expunged(std::vector<std::uint32_t> uids) {
  std::sort(uids.rbegin(), uids.rend());
  std::string out;
  std::vector<std::uint32_t> vanished;
  for (std::uint32_t u : uids)
    if (auto s = seq(u)) {
      if (qresync_)
        vanished.push_back(u);
      else
        out += imap::expunge(s);
      remove_at(s);
      saved_.erase(std::remove(saved_.begin(), saved_.end(), u), saved_.end());
    }
  if (!vanished.empty()) out += imap::vanished(vanished, false);
  return out;
}

Result<std::string> MailboxView::sync(store::TenantStore& t, store::Id account, bool expunges) {
  auto boxes = t.mailboxes(account);
  if (!boxes) return boxes.error();
  auto it = std::find_if(boxes->begin(), boxes->end(),
                         [&](const store::Mailbox& m) { return m.id == mailbox_.id; });
  if (it == boxes->end()) return std::string();  // deleted under us: nothing more comes
  if (it->modseq == mailbox_.modseq && it->uidnext == mailbox_.uidnext) return std::string();
  auto messages = t.messages(account, mailbox_.id);
  if (!messages) return messages.error();
  std::map<std::uint32_t, const store::Message*> now;
  for (const auto& m : *messages) now[m.uid] = &m;
  std::string out;
  if (expunges) {
    std::vector<std::uint32_t> gone;
    for (std::uint32_t u : uids_)
      if (!now.count(u)) gone.push_back(u);
    out += expunged(std::move(gone));
  }
  for (std::uint32_t s = 1; s <= exists(); ++s) {
    auto f = now.find(uids_[s - 1]);
    if (f == now.end()) continue;
    const store::Message& m = *f->second;
    if (m.modseq == modseqs_[s - 1]) continue;
    set_flags(m);
    out += flag_update(s, m);
  }
  std::uint32_t before = exists();
  for (auto it2 = now.upper_bound(largest_uid()); it2 != now.end(); ++it2) add(*it2->second);
  if (exists() != before) out += imap::exists(exists());
  // Only a complete sync may remember the state: skipped expunges must come later.
  if (expunges) mailbox_ = *it;
  return out;
}

}  // namespace appliance::imapd
