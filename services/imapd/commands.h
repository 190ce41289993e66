// NAME
//   commands.h - what imapd does for each IMAP command that needs the store.
//
// DESCRIPTION
//   One function per command, one file per command as in proto/imap
//   (select.cpp, list.cpp, status.cpp, mailboxes.cpp for CREATE, DELETE,
//   RENAME and SUBSCRIBE, append.cpp, fetch.cpp, store.cpp, copy.cpp,
//   expunge.cpp, search.cpp, quota.cpp). Each runs on a worker thread, blocks on the
//   store, and returns the Answer for the session: untagged data, then the
//   tagged status. Context is the logged-in account and the selected
//   mailbox; only one command of a connection runs at a time.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "imapd/mailbox_view.h"
#include "proto/imap/command.h"
#include "proto/imap/session.h"
#include "store/store.h"

namespace appliance::imapd {

constexpr char kDelimiter = '/';

struct Context {
  std::shared_ptr<store::TenantStore> tenant;
  store::Id account = 0;
  std::string address;
  bool utf8 = false;  // UTF8=ACCEPT: names go out as UTF-8
  // RFC 7162: FETCH responses carry MODSEQ (CONDSTORE); expunges go out as
  // VANISHED (QRESYNC). `condstore_new`: enabled by the command at hand.
  bool condstore = false, qresync = false, condstore_new = false;
  std::uint64_t append_limit = 0;  // the session's APPENDLIMIT (RFC 7889), for STATUS
  std::optional<MailboxView> selected;
  std::mutex busy;  // one command or IDLE poll at a time
};

// The folders every account has, with their SPECIAL-USE attribute (RFC 6154).
struct DefaultFolder {
  std::string_view name, use;
};
inline constexpr DefaultFolder kDefaultFolders[] = {
    {"INBOX", ""},      {"Sent", "\\Sent"},   {"Drafts", "\\Drafts"},
    {"Junk", "\\Junk"}, {"Trash", "\\Trash"}, {"Archive", "\\Archive"}};
Result<void> ensure_default_folders(store::TenantStore& t, store::Id account);
std::string_view special_use(std::string_view name);

// A mailbox by name; INBOX in any case (RFC 9051 5.1).
Result<std::optional<store::Mailbox>> find_mailbox(Context& c, std::string_view name);
std::string canonical_name(std::string_view name);
imap::Answer store_failed(const Error& e);

imap::Answer select(Context& c, const imap::Select& cmd);
imap::Answer close(Context& c, bool expunge);
imap::Answer list(Context& c, const imap::List& cmd);
imap::Answer status(Context& c, const imap::Status& cmd);
imap::Answer create(Context& c, const imap::Create& cmd);
imap::Answer remove(Context& c, const imap::Delete& cmd);
imap::Answer rename(Context& c, const imap::Rename& cmd);
imap::Answer subscribe(Context& c, const imap::Subscribe& cmd);
imap::Answer append(Context& c, const imap::Append& cmd);
imap::Answer fetch(Context& c, const imap::Fetch& cmd);
imap::Answer store(Context& c, const imap::Store& cmd);
imap::Answer copy(Context& c, const imap::Copy& cmd);
imap::Answer expunge(Context& c, const imap::Expunge& cmd);
imap::Answer search(Context& c, const std::string& tag, const imap::Search& cmd);
imap::Answer quota(Context& c, const imap::Quota& cmd);
// The NO [OVERQUOTA] answer: what the store refused in its transaction
// (append_all, copy_messages), or, before anything is written, when `adding`
// bytes would take the account over its quota as last counted.
imap::Answer refused_over_quota();
std::optional<imap::Answer> over_quota(Context& c, std::uint64_t adding);
// NOOP, and the updates before other answers: the view brought level.
std::string updates(Context& c, bool expunges);

}  // namespace appliance::imapd
