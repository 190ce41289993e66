// NAME
//   updated_service.h - the update daemon on the shared skeleton.
//
// DESCRIPTION
//   On an Asio timer (first_check_delay after start, then every
//   check_interval) a worker thread runs check_for_update() against the
//   configured repository; the result is logged, kept in UpdateState,
//   written to the status file and summarised in health(). After a boot into
//   a slot on trial it asks the appliance gate every few seconds until the
//   slot is committed or rolled back (boot_check.h). A bad repository is
//   never fatal: the error, naming the attack, is logged and the next check
//   comes on schedule. Without metadata_url it is idle: no timer, no file,
//   no network.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <memory>
#include <optional>

#include "common/daemon.h"
#include "slots/health_gate.h"
#include "tuf/clock.h"
#include "updated/boot_check.h"
#include "updated/settings.h"
#include "updated/update_state.h"

namespace appliance::updated {

class UpdatedService : public Service {
 public:
  void configure(config::Reader& section) override;
  Result<void> configure_shared(const config::Document& doc) override;
  Result<void> pre_init(DaemonContext& ctx) override;
  Result<void> post_init(DaemonContext& ctx) override;
  Health health() override;
  void stop() override;

 private:
  void schedule_check(std::chrono::seconds delay);
  void on_checked(const CheckResult& result, std::int64_t at);
  void schedule_gate(std::chrono::seconds delay);
  void on_boot_checked(const Result<BootCheck>& result);
  void write_status();

  Settings settings_;
  UpdateState state_;
  tuf::SystemClock clock_;
  std::string name_;
  boost::asio::io_context* io_ = nullptr;
  std::optional<boost::asio::steady_timer> check_timer_, gate_timer_;
  std::unique_ptr<slots::HealthGate> gate_;
  std::int64_t gate_deadline_ = 0;
  boost::asio::thread_pool worker_{1};  // blocking fetches stay off the loop
};

}  // namespace appliance::updated
