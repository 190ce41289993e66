// NAME
//   append.cpp - APPEND (with MULTIAPPEND): summarised, sealed, durable, then OK.
#include <fmt/format.h>

#include <ctime>

#include "imapd/commands.h"
#include "imapd/dates.h"
#include "proto/imap/response.h"
#include "proto/mime/summary.h"

namespace appliance::imapd {

namespace {

Result<store::Message> append_one(Context& c, store::Id mailbox, const imap::AppendMessage& m) {
  auto blob = c.tenant->new_blob(c.account);
  if (!blob) return blob.error();
  if (auto w = (*blob)->write(m.data); !w) return w.error();
  // A message GMime cannot read still gets stored; FETCH then works it out itself.
  auto summary = mime::summarize(m.data);
  store::NewMessage n{c.account, mailbox,
                      m.date ? unix_time(*m.date) : static_cast<std::int64_t>(std::time(nullptr)),
                      flag_bits(m.flags), summary ? std::move(*summary) : std::string()};
  auto stored = c.tenant->append(std::move(*blob), n);
  auto keywords = keyword_names(m.flags);
  if (!stored || keywords.empty()) return stored;
  auto tagged = c.tenant->store_keywords(c.account, mailbox, {{stored->uid, stored->uid}}, keywords,
                                         {}, false);
  if (!tagged) return tagged.error();
  return stored;
}

}  // namespace

imap::Answer append(Context& c, const imap::Append& cmd) {
  auto box = find_mailbox(c, cmd.mailbox);
  if (!box) return store_failed(box.error());
  if (!*box) return imap::Answer::no("No such mailbox", "TRYCREATE");
  std::uint64_t bytes = 0;
  for (const auto& m : cmd.messages) bytes += m.data.size();
  if (auto refused = over_quota(c, bytes)) return *refused;
  std::vector<std::uint32_t> uids;
  // Durable one by one: each returns only once synced (RFC 3502 wants all or
  // none, which would need one transaction; a failure names what was kept).
  for (const auto& m : cmd.messages) {
    auto stored = append_one(c, (*box)->id, m);
    if (!stored) return store_failed(stored.error());
    uids.push_back(stored->uid);
  }
  std::string untagged =
      c.selected && c.selected->mailbox().id == (*box)->id ? updates(c, true) : "";
  return imap::Answer::ok(std::move(untagged), imap::code::appenduid((*box)->uidvalidity, uids));
}

}  // namespace appliance::imapd
