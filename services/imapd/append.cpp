// NAME
//   append.cpp - APPEND (with MULTIAPPEND): summarised, sealed, durable, then OK.
//
// DESCRIPTION
//   Every message of the command is written to its blob and summarised
//   (mime::summarize) first; then all are stored, with their flags and
//   keywords, in one store transaction (TenantStore::append_all), so a
//   MULTIAPPEND stores all its messages or none (RFC 3502), and [APPENDUID]
//   lists their UIDs (RFC 4315). A command that would take the account past
//   its quota stores nothing ([OVERQUOTA]), checked in that transaction.
#include <fmt/format.h>

#include <ctime>

#include "imapd/commands.h"
#include "imapd/dates.h"
#include "proto/imap/response.h"
#include "proto/mime/summary.h"

namespace appliance::imapd {

namespace {

struct Prepared {
  std::vector<std::unique_ptr<store::BlobWriter>> blobs;
  std::vector<store::NewMessage> messages;
};

Result<Prepared> prepare(Context& c, store::Id mailbox, const imap::Append& cmd) {
  Prepared out;
  for (const auto& m : cmd.messages) {
    auto blob = c.tenant->new_blob(c.account);
    if (!blob) return blob.error();
    if (auto w = (*blob)->write(m.data); !w) return w.error();
    // A message GMime cannot read still gets stored; FETCH then works it out itself.
    auto summary = mime::summarize(m.data);
    out.messages.push_back(
        {c.account, mailbox,
         m.date ? unix_time(*m.date) : static_cast<std::int64_t>(std::time(nullptr)),
         flag_bits(m.flags), summary ? std::move(*summary) : std::string(),
         keyword_names(m.flags)});
    out.blobs.push_back(std::move(*blob));
  }
  return out;
}

}  // namespace

imap::Answer append(Context& c, const imap::Append& cmd) {
  auto box = find_mailbox(c, cmd.mailbox);
  if (!box) return store_failed(box.error());
  if (!*box) return imap::Answer::no("No such mailbox", "TRYCREATE");
  std::uint64_t bytes = 0;
  for (const auto& m : cmd.messages) bytes += m.data.size();
  if (auto refused = over_quota(c, bytes)) return *refused;
  auto prepared = prepare(c, (*box)->id, cmd);
  if (!prepared) return store_failed(prepared.error());
  auto stored = c.tenant->append_all(std::move(prepared->blobs), prepared->messages);
  if (!stored) return store_failed(stored.error());
  if (stored->over_quota) return refused_over_quota();
  std::vector<std::uint32_t> uids;
  for (const auto& m : stored->messages) uids.push_back(m.uid);
  std::string untagged =
      c.selected && c.selected->mailbox().id == (*box)->id ? updates(c, true) : "";
  return imap::Answer::ok(std::move(untagged), imap::code::appenduid((*box)->uidvalidity, uids));
}

}  // namespace appliance::imapd
