// NAME
//   deliverd.h - the outbound delivery daemon as a Service of the skeleton.
//
// DESCRIPTION
//   No listeners. After the privilege drop post_init() opens what every
//   mail daemon opens (net::MailBase: keyd, the store with its data keys,
//   worker threads), the resolver ([dns], dns/cares_resolver.h), and a timer
//   that every `poll` seconds starts a queue pass (queue_run.h) on a worker,
//   unless one is still running.
//
//   [deliverd] keys: port (of MX hosts, default 25: only tests set
//   another), routes (routes.h), poll (seconds, default 10), retry_first
//   (300), retry_longest (14400), lifetime (432000: 5 days),
//   connect_timeout (30), io_timeout (300), messages_per_connection (100),
//   parallel (8) and parallel_per_domain (1) (the lanes of a pass, queue_run.h);
//   the TLS policy (tls_policy.h):
//   dane (on: trust the [dns] resolver's AD bit), mta_sts (on),
//   mta_sts_port (443: only tests set another), mta_sts_timeout (60),
//   tls_ca_file (the WebPKI roots for MTA-STS; default the system's).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/daemon.h"
#include "deliverd/attempt.h"
#include "deliverd/queue_run.h"
#include "deliverd/schedule.h"

namespace appliance::deliverd {

class DeliverdService final : public Service {
 public:
  DeliverdService();
  ~DeliverdService() override;

  void configure(config::Reader& section) override;
  Result<void> pre_init(DaemonContext& ctx) override;
  Result<void> post_init(DaemonContext& ctx) override;
  Health health() override;
  void stop() override;

 private:
  struct Running;
  void arm();
  void pass();

  AttemptSettings settings_;
  Schedule schedule_;
  Lanes lanes_;
  std::chrono::seconds poll_{10};
  bool mta_sts_ = true;
  FetchOptions fetch_;
  std::optional<Error> routes_error_;
  std::unique_ptr<Running> running_;
};

}  // namespace appliance::deliverd
