// NAME
//   inbox.cpp - INBOX found, message sealed, summarised and appended.
#include "store/inbox.h"

#include <fmt/format.h>

#include <optional>

#include "common/log.h"
#include "proto/mime/summary.h"

namespace appliance::store {

Result<Mailbox> find_mailbox(TenantStore& tenant, Id account, std::string_view name, bool create) {
  auto found = tenant.mailbox_named(account, name);
  if (!found) return found.error();
  if (*found) return std::move(**found);
  if (!create) return make_error(fmt::format("account {} has no {}", account, name));
  auto made = tenant.create_mailbox(account, name);
  if (made) return made;
  found = tenant.mailbox_named(account, name);  // made meanwhile by another delivery
  if (found && *found) return std::move(**found);
  return made.error();
}

Result<Mailbox> find_inbox(TenantStore& tenant, Id account) {
  return find_mailbox(tenant, account, "INBOX", false);
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
