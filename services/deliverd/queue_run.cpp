// NAME
//   queue_run.cpp - due entries: attempt, expire, bounce, record, remove.
#include "deliverd/queue_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

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

// One due entry of a pass, and the domain it counts for.
struct Due {
  std::shared_ptr<store::TenantStore> tenant;
  store::QueueEntry entry;
  std::string domain;
};

std::string domain_of_entry(const store::QueueEntry& e) {
  for (const auto& r : e.recipients)
    if (r.state == RecipientState::pending) return domain_of(r.address);
  return e.recipients.empty() ? "" : domain_of(e.recipients.front().address);
}

// Hands a pass's entries to its lanes, in order, at most `per_domain` of one
// domain at a time, and reads the queue again (collect) for entries that
// became due once the lanes have taken everything (queue_run.h).
class Dispatch {
 public:
  using Collect = std::function<std::vector<Due>()>;

  Dispatch(Collect collect, unsigned per_domain, std::chrono::milliseconds rescan)
      : collect_(std::move(collect)), per_domain_(per_domain), rescan_(rescan) {
    add(collect_());
    next_rescan_ = std::chrono::steady_clock::now() + rescan_;
  }

  std::size_t size() const { return due_.size(); }

  // The next entry a lane may deliver; null once the pass has ended or
  // `stopping`. Waits while every entry left is for a domain at its limit,
  // and while other lanes deliver and the queue has nothing new.
  std::unique_ptr<Due> take(const std::atomic<bool>* stopping) {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (finished_ || (stopping && stopping->load())) return nullptr;
      for (auto it = due_.begin(); it != due_.end(); ++it) {
        unsigned& busy = busy_[it->domain];
        if (busy >= per_domain_) continue;
        ++busy, ++active_;
        auto d = std::make_unique<Due>(std::move(*it));
        due_.erase(it);
        return d;
      }
      if (!due_.empty() || rescanning_) {  // until a lane is done, or the queue is read
        changed_.wait(lock);
        continue;
      }
      if (active_ > 0 && std::chrono::steady_clock::now() < next_rescan_) {
        changed_.wait_until(lock, next_rescan_);
        continue;
      }
      // Nothing left to take: read the queue again, without the lock.
      rescanning_ = true;
      lock.unlock();
      auto fresh = collect_();
      lock.lock();
      rescanning_ = false;
      next_rescan_ = std::chrono::steady_clock::now() + rescan_;
      if (!add(std::move(fresh)) && active_ == 0) finished_ = true;
      changed_.notify_all();
    }
  }

  void done(const Due& d) {
    std::lock_guard lock(mutex_);
    --busy_[d.domain], --active_;
    changed_.notify_all();
  }

 private:
  // Keeps the entries not taken before in this pass; whether there were any.
  bool add(std::vector<Due> fresh) {
    bool added = false;
    for (auto& d : fresh)
      if (seen_.insert({d.tenant->id(), d.entry.id}).second)
        due_.push_back(std::move(d)), added = true;
    return added;
  }

  Collect collect_;
  unsigned per_domain_;
  std::chrono::milliseconds rescan_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Due> due_;                             // in the order they are due
  std::set<std::pair<store::Id, store::Id>> seen_;  // (tenant, entry) taken or queued this pass
  std::map<std::string, unsigned> busy_;            // lanes delivering to each domain
  unsigned active_ = 0;                             // lanes delivering
  bool rescanning_ = false, finished_ = false;
  std::chrono::steady_clock::time_point next_rescan_{};
};

}  // namespace

PassCounts& PassCounts::operator+=(const PassCounts& o) {
  attempts += o.attempts, delivered += o.delivered, bounced += o.bounced;
  deferred += o.deferred, errors += o.errors;
  return *this;
}

QueueRunner::QueueRunner(store::Store& store, dns::Resolver& resolver, AttemptSettings settings,
                         Schedule schedule, Clock clock)
    : store_(store),
      resolver_(resolver),
      settings_(std::move(settings)),
      schedule_(schedule),
      clock_(std::move(clock)) {}

PassCounts QueueRunner::run_once(std::size_t limit) {
  PassCounts counts;
  std::mutex counts_mutex;  // collect() runs on whichever lane rescans
  auto collect = [&] {
    std::vector<Due> due;
    auto tenants = store_.tenants();
    auto failed = [&](const char* what, const std::string& tenant, const std::string& error) {
      log::warning(what, {{"tenant", tenant}, {"error", error}});
      std::lock_guard lock(counts_mutex);
      ++counts.errors;
    };
    if (!tenants) {
      failed("queue pass: tenants", "", tenants.message());
      return due;
    }
    for (const auto& t : *tenants) {
      auto tenant = store_.tenant(t.id);
      if (!tenant) {
        failed("queue pass: tenant", t.name, tenant.message());
        continue;
      }
      auto entries = (*tenant)->queue().due(clock_(), limit);
      if (!entries) {
        failed("queue pass: due entries", t.name, entries.message());
        continue;
      }
      for (auto& e : *entries) due.push_back({*tenant, e, domain_of_entry(e)});
    }
    return due;
  };
  Dispatch work(collect, std::max(1u, lanes_.per_domain), lanes_.rescan);
  if (work.size() > 0) {
    dns::PassCache dns(resolver_);  // each domain resolved once per pass
    Connections connections(settings_.messages_per_connection);  // closed when the pass ends
    auto lane = [&](PassCounts& lane_counts) {
      while (auto d = work.take(stopping_)) {
        process(*d->tenant, d->entry, lane_counts, dns, &connections);
        work.done(*d);
      }
    };
    std::vector<PassCounts> each(std::max(1u, lanes_.total));
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < each.size(); ++i) threads.emplace_back(lane, std::ref(each[i]));
    lane(each[0]);  // one lane on this thread
    for (auto& t : threads) t.join();
    for (const auto& c : each) counts += c;
  }
  if (stopping_ && stopping_->load()) return counts;
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
