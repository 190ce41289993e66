// NAME
//   outbound.cpp - the queued copy of a submission for other domains.
#include "smtpd/outbound.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "auth/clock.h"
#include "auth/security_log.h"
#include "common/log.h"

namespace appliance::smtpd {

namespace {

// The account's sending state; the first held message of a burst recorded.
Result<SendingState> sending_of(store::Store& store, store::TenantStore& tenant,
                                const auth::Recipient& own, const SendingLimits& limits,
                                std::int64_t now) {
  auto hours = tenant.queue().sending(own.account, sending_since(now));
  if (!hours) return hours.error();
  SendingState state = sending_state(*hours, now);
  if (!first_held(limits, state)) return state;
  nlohmann::json details{{"messages_this_hour", state.hour_messages + 1},
                         {"usual_per_hour", state.usual_messages},
                         {"threshold", burst_threshold(limits, state)}};
  auth::SystemClock clock;
  auto e = auth::SecurityLog(store.logs(), clock)
               .record("smtpd", "sending.burst_hold", own.address, details.dump());
  if (!e) return e.error();  // the hold goes unreported: better not to send at all
  log::warning("security: outbound mail held, unusual volume",
               {{"event", "sending_burst_hold"},
                {"account", own.address},
                {"messages_this_hour", state.hour_messages + 1}});
  return state;
}

const Delivery::Part* queued_part(const Delivery::Parts& parts) {
  auto p = std::find_if(parts.begin(), parts.end(), [](const auto& p) { return p.outbound; });
  return p == parts.end() ? nullptr : &*p;
}

}  // namespace

Result<Delivery::Parts> prepare_outbound(store::Store& store, auth::Directory& directory,
                                         const std::string& account, const std::string& sender,
                                         const SendingLimits& limits, std::int64_t now) {
  auto found = directory.resolve(account);
  if (!found) return found.error();
  auto own = std::find_if(found->recipients.begin(), found->recipients.end(),
                          [&](const auth::Recipient& r) { return r.address == account; });
  if (own == found->recipients.end())
    return make_error(fmt::format("the sending account {} is not found", account));
  auto tenant = store.tenant(own->tenant);
  if (!tenant) return tenant.error();
  auto sending = sending_of(store, **tenant, *own, limits, now);
  if (!sending) return sending.error();
  auto blob = (*tenant)->new_blob(own->account);
  if (!blob) return blob.error();
  auto entry = std::make_shared<store::NewQueueEntry>();
  entry->account = own->account;
  entry->sender = sender;
  entry->held = holds(limits, *sending);
  Delivery::Parts parts;
  parts.push_back({*tenant, own->account, std::move(*blob), std::move(entry), *sending});
  return parts;
}

std::optional<smtp::Reply> sending_refusal(const Delivery::Parts& prepared,
                                           const Delivery::Parts& fresh,
                                           const SendingLimits& limits) {
  const Delivery::Part* part = queued_part(prepared);
  if (!part) part = queued_part(fresh);
  if (!part) return std::nullopt;
  return over_limit(limits, part->sending, part->outbound->recipients.size());
}

bool has_outbound(const Delivery::Parts& parts) {
  return std::any_of(parts.begin(), parts.end(),
                     [](const auto& p) { return p.outbound != nullptr; });
}

void add_outbound_recipient(Delivery::Parts& parts, const std::string& recipient,
                            const smtp::MailParams& mail, const smtp::RcptParams& rcpt) {
  store::RecipientDsn dsn{smtp::notify_text(rcpt.notify),
                          rcpt.orcpt.empty() ? "" : rcpt.orcpt_type + ";" + rcpt.orcpt};
  for (auto& p : parts) {
    if (!p.outbound) continue;
    p.outbound->ret = mail.ret == smtp::Ret::full      ? "FULL"
                      : mail.ret == smtp::Ret::headers ? "HDRS"
                                                       : "";
    p.outbound->envid = mail.envid.value_or("");
    p.outbound->recipients.push_back(recipient);
    p.outbound->dsn.push_back(std::move(dsn));
  }
}

Result<void> Delivery::enqueue(Part& part, std::int64_t now) {
  part.outbound->created = now;
  auto e = part.tenant->queue().enqueue(std::move(part.blob), *part.outbound);
  if (!e) return e.error();
  return {};
}

}  // namespace appliance::smtpd
