// NAME
//   outbound.cpp - the queued copy of a submission for other domains.
#include "smtpd/outbound.h"

#include <fmt/format.h>

#include <algorithm>

namespace appliance::smtpd {

Result<Delivery::Parts> prepare_outbound(store::Store& store, auth::Directory& directory,
                                         const std::string& account, const std::string& sender) {
  auto found = directory.resolve(account);
  if (!found) return found.error();
  auto own = std::find_if(found->recipients.begin(), found->recipients.end(),
                          [&](const auth::Recipient& r) { return r.address == account; });
  if (own == found->recipients.end())
    return make_error(fmt::format("the sending account {} is not found", account));
  auto tenant = store.tenant(own->tenant);
  if (!tenant) return tenant.error();
  auto blob = (*tenant)->new_blob(own->account);
  if (!blob) return blob.error();
  auto entry = std::make_shared<store::NewQueueEntry>();
  entry->account = own->account;
  entry->sender = sender;
  Delivery::Parts parts;
  parts.push_back({*tenant, own->account, std::move(*blob), std::move(entry)});
  return parts;
}

bool has_outbound(const Delivery::Parts& parts) {
  return std::any_of(parts.begin(), parts.end(),
                     [](const auto& p) { return p.outbound != nullptr; });
}

void add_outbound_recipient(Delivery::Parts& parts, const std::string& recipient) {
  for (auto& p : parts)
    if (p.outbound) p.outbound->recipients.push_back(recipient);
}

Result<void> Delivery::enqueue(Part& part, std::int64_t now) {
  part.outbound->created = now;
  auto e = part.tenant->queue().enqueue(std::move(part.blob), *part.outbound);
  if (!e) return e.error();
  return {};
}

}  // namespace appliance::smtpd
