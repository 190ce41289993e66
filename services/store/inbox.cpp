// NAME
//   inbox.cpp - INBOX found, message sealed, summarised and appended.
#include "store/inbox.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/log.h"
#include "proto/mime/summary.h"

namespace appliance::store {

Result<Mailbox> find_inbox(TenantStore& tenant, Id account) {
  auto boxes = tenant.mailboxes(account);
  if (!boxes) return boxes.error();
  auto it = std::find_if(boxes->begin(), boxes->end(),
                         [](const Mailbox& m) { return m.name == "INBOX"; });
  if (it == boxes->end()) return make_error(fmt::format("account {} has no INBOX", account));
  return std::move(*it);
}

Result<Message> append_to_inbox(TenantStore& tenant, Id account, std::string_view message,
                                std::int64_t internal_date) {
  auto inbox = find_inbox(tenant, account);
  if (!inbox) return inbox.error();
  auto blob = tenant.new_blob(account);
  if (!blob) return blob.error();
  if (auto w = (*blob)->write(message); !w) return w.error();
  auto summary = mime::summarize(message);
  if (!summary) log::warning("message not summarised", {{"error", summary.message()}});
  return tenant.append(std::move(*blob), {account, inbox->id, internal_date, 0,
                                          summary ? std::move(*summary) : std::string()});
}

}  // namespace appliance::store
