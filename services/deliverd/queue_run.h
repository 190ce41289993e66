// NAME
//   queue_run.h - a pass over every tenant's due queue entries.
//
// DESCRIPTION
//   run_once() asks each tenant for its due entries (not held, next attempt
//   reached) and processes each: one attempt (attempt.h); recipients still
//   pending after the lifetime (schedule.h) bounce; newly bounced ones get a
//   DSN in the sender's INBOX (bounce.h), and delivered ones that asked
//   NOTIFY=SUCCESS of a host without DSN a relay notice, before the results
//   are recorded, so a crash between the two may repeat a notice but never
//   lose one (each only as the recipient's NOTIFY asks); the
//   next attempt is scheduled with back-off; a message still pending after
//   the schedule's delay_notice gets one delay notice in the sender's INBOX
//   (noted in its entry, so there is one per message); an entry with nothing pending
//   is removed. DNS answers are kept for the pass (dns/pass_cache.h): a
//   domain is resolved once per pass, not once per entry, and the SMTP
//   sessions of a pass are kept for its later entries to the same host
//   (connections.h), up to messages_per_connection each. Blocking: runs on
//   a worker, one pass at a time.
//
//   Entries are delivered in lanes, several at once (Lanes::total), so that
//   a slow or silent receiver holds up only the lanes waiting on it, and at
//   most Lanes::per_domain lanes deliver to one domain at a time (an entry
//   counts for the domain of its first pending recipient), so that one busy
//   or stalled domain cannot take every lane. Entries start in the order
//   they are due; the lanes share the pass's DNS answers and kept sessions.
//   A pass takes entries that become due while it runs: when the lanes have
//   taken everything, it reads the queue again, every Lanes::rescan while
//   some lane still delivers and once more when none does, and it ends only
//   when that finds nothing new. Each entry is taken at most once a pass
//   (one whose attempt could not be recorded waits for the next pass).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

#include "deliverd/attempt.h"
#include "deliverd/schedule.h"
#include "dkim/keyd_signer.h"
#include "store/store.h"

namespace appliance::deliverd {

struct PassCounts {
  std::uint64_t attempts = 0, delivered = 0, bounced = 0, deferred = 0, errors = 0;
  PassCounts& operator+=(const PassCounts& o);
};

struct Lanes {
  unsigned total = 8;       // entries delivered at once ([deliverd] parallel)
  unsigned per_domain = 1;  // of them to one domain ([deliverd] parallel_per_domain)
  // While some lanes still deliver and the others have nothing left, the
  // queue is read again this often for entries that became due ([deliverd]
  // poll), so new mail does not wait for a slow delivery to end.
  std::chrono::milliseconds rescan{10000};
};

class QueueRunner {
 public:
  using Clock = std::function<std::int64_t()>;
  QueueRunner(store::Store& store, dns::Resolver& resolver, AttemptSettings settings,
              Schedule schedule, Clock clock);

  PassCounts run_once(std::size_t limit_per_tenant = 100);
  // A pass ends before its next entry once *stopping is set (the daemon's SIGTERM).
  void stop_on(const std::atomic<bool>* stopping) { stopping_ = stopping; }
  // The notices are DKIM-signed for the sender's domain (bounce.h).
  void sign_with(dkim::KeydSigner* signer) { signer_ = signer; }
  void set_lanes(Lanes lanes) { lanes_ = lanes; }
  void process(store::TenantStore& tenant, const store::QueueEntry& entry, PassCounts& counts,
               dns::Resolver& dns, Connections* connections = nullptr);

 private:
  void notify_delay(store::TenantStore& tenant, const store::QueueEntry& entry, std::int64_t now);

  store::Store& store_;
  dns::Resolver& resolver_;
  AttemptSettings settings_;
  Schedule schedule_;
  Clock clock_;
  const std::atomic<bool>* stopping_ = nullptr;
  dkim::KeydSigner* signer_ = nullptr;
  Lanes lanes_;
};

}  // namespace appliance::deliverd
