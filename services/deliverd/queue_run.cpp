// NAME
//   queue_run.cpp - due entries: attempt, expire, bounce, record, remove.
#include "deliverd/queue_run.h"

#include <fmt/format.h>

#include "common/log.h"
#include "deliverd/bounce.h"
#include "dns/pass_cache.h"

namespace appliance::deliverd {
namespace {

using store::QueuedRecipient;
using store::RecipientState;

// Pending recipients past the lifetime bounce, with the last reply they got.
void expire(std::vector<QueuedRecipient>& results, std::int64_t lifetime) {
  for (auto& r : results)
    if (r.state == RecipientState::pending) {
      r.state = RecipientState::bounced;
      r.reply = fmt::format("550 5.4.7 Delivery time expired after {} days (last: {})",
                            lifetime / 86400, r.reply.empty() ? "no attempt" : r.reply);
    }
}

// The entry's recipients with this attempt's results laid over them.
store::QueueEntry merged(store::QueueEntry e, const std::vector<QueuedRecipient>& results) {
  for (auto& r : e.recipients)
    for (const auto& n : results)
      if (n.address == r.address) r = n;
  return e;
}

// An attempt's results with each recipient's DSN options, which decide its notices.
void with_dsn(std::vector<QueuedRecipient>& results, const store::QueueEntry& e) {
  for (auto& n : results)
    for (const auto& r : e.recipients)
      if (n.address == r.address) n.dsn = r.dsn;
}

}  // namespace

QueueRunner::QueueRunner(store::Store& store, dns::Resolver& resolver, AttemptSettings settings,
                         Schedule schedule, Clock clock)
    : store_(store),
      resolver_(resolver),
      settings_(std::move(settings)),
      schedule_(schedule),
      clock_(std::move(clock)) {}

PassCounts QueueRunner::run_once(std::size_t limit) {
  PassCounts counts;
  auto tenants = store_.tenants();
  if (!tenants) {
    log::warning("queue pass: tenants", {{"error", tenants.message()}});
    ++counts.errors;
    return counts;
  }
  dns::PassCache dns(resolver_);                               // each domain resolved once per pass
  Connections connections(settings_.messages_per_connection);  // closed when the pass ends
  for (const auto& t : *tenants) {
    auto tenant = store_.tenant(t.id);
    if (!tenant) {
      log::warning("queue pass: tenant", {{"tenant", t.name}, {"error", tenant.message()}});
      ++counts.errors;
      continue;
    }
    auto due = (*tenant)->queue().due(clock_(), limit);
    if (!due) {
      log::warning("queue pass: due entries", {{"tenant", t.name}, {"error", due.message()}});
      ++counts.errors;
      continue;
    }
    for (const auto& e : *due) {
      if (stopping_ && stopping_->load()) return counts;
      process(**tenant, e, counts, dns, &connections);
    }
  }
  if (settings_.sts) settings_.sts->refresh(resolver_);  // at most once an hour (mta_sts.h)
  return counts;
}

void QueueRunner::process(store::TenantStore& tenant, const store::QueueEntry& e,
                          PassCounts& counts, dns::Resolver& dns, Connections* connections) {
  ++counts.attempts;
  auto body = [&](const std::function<Result<void>(std::string_view)>& sink) {
    return tenant.queue().read(e, sink);
  };
  auto results = attempt(dns, settings_, e, body, connections);
  with_dsn(results, e);
  std::int64_t now = clock_();
  if (schedule_.expired(e.created, now)) expire(results, schedule_.lifetime);
  std::vector<QueuedRecipient> bounced, relayed;
  for (const auto& r : results) {
    if (r.state == RecipientState::bounced) bounced.push_back(r), ++counts.bounced;
    if (r.state == RecipientState::delivered) ++counts.delivered;
    // A host that took NOTIFY reports success itself; one without DSN leaves it to us.
    if (r.state == RecipientState::delivered && !r.dsn_passed_on) relayed.push_back(r);
    if (r.state == RecipientState::pending) ++counts.deferred;
    log::info("delivery", {{"queue_id", e.id},
                           {"recipient", r.address},
                           {"state", store::to_string(r.state)},
                           {"host", r.host},
                           {"tls", r.tls_version.empty() ? "none" : r.tls_version},
                           {"tls_policy", r.tls_policy},
                           {"reply", r.reply}});
  }
  if (auto b = deliver_notice(tenant, e, dsn::Action::failed, bounced, settings_.hostname, now, 0,
                              signer_);
      !b) {
    log::warning("bounce not delivered", {{"queue_id", e.id}, {"error", b.message()}});
    ++counts.errors;
    return;  // nothing recorded: the next pass tries again
  }
  if (auto n = deliver_notice(tenant, e, dsn::Action::relayed, relayed, settings_.hostname, now, 0,
                              signer_);
      !n) {
    log::warning("relay notice not delivered", {{"queue_id", e.id}, {"error", n.message()}});
    ++counts.errors;
    return;  // as for a bounce; the bounce may then be repeated, never lost
  }
  auto after = merged(e, results);
  if (!e.delay_notified && after.pending() && schedule_.late(e.created, now))
    notify_delay(tenant, after, now);
  std::int64_t next = after.pending() ? schedule_.next(e.attempts + 1, now) : now;
  if (auto r = tenant.queue().record_attempt(e.id, results, now, next); !r) {
    log::warning("attempt not recorded", {{"queue_id", e.id}, {"error", r.message()}});
    ++counts.errors;
    return;
  }
  if (!after.pending())
    if (auto r = tenant.queue().remove(e.id); !r)
      log::warning("finished entry not removed", {{"queue_id", e.id}, {"error", r.message()}});
}

// Delivered to the INBOX, then noted: a crash between the two may repeat
// the notice, never lose it. A failure is retried on the next pass.
void QueueRunner::notify_delay(store::TenantStore& tenant, const store::QueueEntry& e,
                               std::int64_t now) {
  std::vector<QueuedRecipient> pending;
  for (const auto& r : e.recipients)
    if (r.state == RecipientState::pending) pending.push_back(r);
  auto sent = deliver_notice(tenant, e, dsn::Action::delayed, pending, settings_.hostname, now,
                             e.created + schedule_.lifetime, signer_);
  if (!sent) {
    log::warning("delay notice not delivered", {{"queue_id", e.id}, {"error", sent.message()}});
    return;
  }
  if (auto r = tenant.queue().note_delay_notice(e.id); !r)
    log::warning("delay notice not noted", {{"queue_id", e.id}, {"error", r.message()}});
  else
    log::info("delay notice", {{"queue_id", e.id}, {"sender", e.sender}});
}

}  // namespace appliance::deliverd
