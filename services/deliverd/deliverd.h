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
//   Its [deliverd] keys: settings.h.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/daemon.h"
#include "deliverd/settings.h"

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

  DeliverdSettings config_;
  std::optional<Error> error_;  // from configure(), reported by pre_init()
  std::unique_ptr<Running> running_;
};

}  // namespace appliance::deliverd
