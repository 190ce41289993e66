// NAME
//   mailbox_view.h - the selected mailbox as one session sees it.
//
// DESCRIPTION
//   Sequence numbers are this session's: the UIDs it has announced, in
//   order. sync() compares the view with the store (one query while nothing
//   changed: the mailbox's UIDNEXT and MODSEQ) and returns the untagged
//   updates that bring the client level: "* n EXPUNGE" from the highest down
//   (so no number shifts under the client), "* n FETCH (UID u FLAGS (...))"
//   for flags another session changed, "* n EXISTS" for new mail. Without
//   `expunges` (during FETCH, STORE and SEARCH, RFC 9051 7.5.1) vanished
//   messages keep their numbers until a later sync.
//
//   With CONDSTORE enabled the FETCH updates carry MODSEQ; with QRESYNC
//   enabled expunges go out as "* VANISHED uids" (RFC 7162 3.2.10).
//
//   The view also holds the result of the last SEARCH RETURN (SAVE), the
//   messages "$" names (RFC 5182, RFC 9051 6.4.4.1), as UIDs: sequence
//   numbers shift, UIDs do not. A message leaves it when the session is told
//   of its expunge. A new view (SELECT, EXAMINE) starts with it empty, and
//   CLOSE and UNSELECT drop the view.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "proto/imap/syntax.h"
#include "store/store.h"

namespace appliance::imapd {

// System flags, then keywords (store::Message::keywords).
std::vector<std::string> flag_names(std::uint32_t flags, const std::string& keywords = {});
std::uint32_t flag_bits(const std::vector<std::string>& names);
// The keywords among flag names: those without a backslash.
std::vector<std::string> keyword_names(const std::vector<std::string>& names);

class MailboxView {
 public:
  MailboxView(store::Mailbox mailbox, bool read_only, const std::vector<store::Message>& messages);

  const store::Mailbox& mailbox() const { return mailbox_; }
  bool read_only() const { return read_only_; }
  std::uint32_t exists() const { return static_cast<std::uint32_t>(uids_.size()); }
  std::uint32_t uid(std::uint32_t seq) const { return uids_[seq - 1]; }
  std::uint32_t flags(std::uint32_t seq) const { return flags_[seq - 1]; }
  const std::string& keywords(std::uint32_t seq) const { return keywords_[seq - 1]; }
  std::uint64_t modseq(std::uint32_t seq) const { return modseqs_[seq - 1]; }
  void set_modes(bool condstore, bool qresync) { condstore_ = condstore, qresync_ = qresync; }
  bool condstore() const { return condstore_; }
  // 0 when the UID is not in the view.
  std::uint32_t seq(std::uint32_t uid) const;
  std::uint32_t largest_uid() const { return uids_.empty() ? 0 : uids_.back(); }

  // The (sequence number, UID) pairs a set names; `uid`: the set holds UIDs.
  // "$" names the saved messages, as a UID set or not (RFC 5182 2.1).
  std::vector<std::pair<std::uint32_t, std::uint32_t>> resolve(const imap::SequenceSet& set,
                                                               bool uid) const;
  // Whether a set names the message at `seq`, as resolve() would.
  bool names(const imap::SequenceSet& set, bool uid, std::uint32_t seq) const;
  // SEARCH RETURN (SAVE): the UIDs "$" names from now on; empty on failure.
  void save(std::vector<std::uint32_t> uids);
  const std::vector<std::uint32_t>& saved() const { return saved_; }
  // The same messages as UID ranges for the store.
  static std::vector<store::UidRange> ranges(std::vector<std::uint32_t> uids);
  // A set of UIDs as ranges, whether or not the messages are still there;
  // "*" reaches the top, where expunged UIDs may lie above the last message.
  // "$" is the saved UIDs.
  std::vector<store::UidRange> uid_ranges(const imap::SequenceSet& set) const;

  Result<std::string> sync(store::TenantStore& t, store::Id account, bool expunges);
  // What this session did itself: no update is sent back for it.
  void set_flags(const store::Message& m);
  // "* n EXPUNGE" for each UID, highest first (or one "* VANISHED"), and removes them.
  std::string expunged(std::vector<std::uint32_t> uids);
  // "* n FETCH (UID u FLAGS (...) [MODSEQ (m)])": a change the client is told of.
  std::string flag_update(std::uint32_t seq, const store::Message& m) const;

 private:
  store::Mailbox mailbox_;
  bool read_only_;
  bool condstore_ = false, qresync_ = false;
  std::vector<std::uint32_t> uids_, flags_;
  std::vector<std::string> keywords_;
  std::vector<std::uint64_t> modseqs_;
  std::vector<std::uint32_t> saved_;  // "$", ascending UIDs
  void remove_at(std::uint32_t seq);
  void add(const store::Message& m);
};

}  // namespace appliance::imapd
