// NAME
//   updated_service.cpp - timers on the loop, checks on the worker thread.
#include "updated/updated_service.h"

#include <boost/asio/post.hpp>

#include "common/log.h"
#include "tuf/files.h"
#include "updatectl/curl_fetcher.h"
#include "updated/appliance_gate.h"
#include "updated/slot_access.h"

namespace appliance::updated {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

constexpr auto kGatePoll = 10s;

// One check, with its own stores: runs on the worker thread.
CheckResult run_check(const Settings& s, const tuf::Clock& clock) {
  CheckResult failed;
  auto metadata = tuf::DirectoryMetadataStore::open(s.metadata_dir.string());
  if (!metadata) return failed.message = metadata.message(), failed;
  auto lock = tuf::files::DirectoryLock::take(s.metadata_dir.string());
  if (!lock) return failed.message = lock.message(), failed;
  auto targets = tuf::DirectoryTargetStore::open(s.target_dir.string());
  if (!targets) return failed.message = targets.message(), failed;
  auto slots = open_slot_backend(s);
  if (!slots) return failed.message = slots.message(), failed;
  updatectl::CurlFetcher fetcher;
  CheckIo io{fetcher, *metadata, *targets, **slots, clock};
  return check_for_update(s, io);
}

void log_result(const CheckResult& r) {
  log::Fields fields = {{"result", outcome_name(r.outcome)}, {"message", r.message}};
  if (r.outcome == Outcome::failed || r.outcome == Outcome::refused) {
    log::warning("update check did not succeed", fields);
  } else {
    log::info("update checked", fields);
  }
}

}  // namespace

void UpdatedService::configure(config::Reader& section) { settings_ = read_settings(section); }

// Here, with the configuration: what it refuses is a configuration error (78).
Result<void> UpdatedService::configure_shared(const config::Document&) {
  return check_settings(settings_);
}

Result<void> UpdatedService::pre_init(DaemonContext& ctx) {
  resolve_paths(settings_, ctx.paths.home);
  state_.idle = settings_.idle();
  return {};
}

Result<void> UpdatedService::post_init(DaemonContext& ctx) {
  io_ = &ctx.io;
  name_ = ctx.name;
  check_timer_.emplace(ctx.io);
  gate_timer_.emplace(ctx.io);
  gate_ = make_appliance_gate(ctx.paths, ctx.name);
  gate_deadline_ = clock_.now() + settings_.gate_timeout.count();
  if (state_.idle) {
    log::info("idle: no metadata_url configured");
    return {};
  }
  std::error_code ec;
  for (const auto& dir : {settings_.metadata_dir, settings_.target_dir, settings_.status_file})
    std::filesystem::create_directories(dir.parent_path(), ec);
  schedule_gate(0s);
  schedule_check(settings_.first_check_delay);
  return {};
}

void UpdatedService::schedule_check(std::chrono::seconds delay) {
  check_timer_->expires_after(delay);
  check_timer_->async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    asio::post(worker_, [this, settings = settings_] {
      CheckResult r = run_check(settings, clock_);
      std::int64_t at = clock_.now();
      asio::post(*io_, [this, r, at] { on_checked(r, at); });
    });
  });
}

void UpdatedService::on_checked(const CheckResult& result, std::int64_t at) {
  log_result(result);
  state_.record(result, at);
  write_status();
  schedule_check(settings_.check_interval);
}

void UpdatedService::schedule_gate(std::chrono::seconds delay) {
  gate_timer_->expires_after(delay);
  gate_timer_->async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    asio::post(worker_, [this] {
      Result<BootCheck> r = Error{"no slots"};
      if (auto backend = open_slot_backend(settings_))
        r = check_boot(**backend, *gate_, clock_.now(), gate_deadline_);
      asio::post(*io_, [this, r] { on_boot_checked(r); });
    });
  });
}

void UpdatedService::on_boot_checked(const Result<BootCheck>& r) {
  if (!r) return;  // no slot state here: nothing is on trial
  if (r->verdict == BootVerdict::settled) return;
  if (r->verdict == BootVerdict::waiting) {
    state_.boot = r->message;
    schedule_gate(kGatePoll);
  } else if (r->verdict == BootVerdict::committed) {
    log::info("new slot committed", {{"message", r->message}});
    state_.boot = r->message;
  } else {
    log::error("new slot failed the health gate", {{"message", r->message}});
    state_.boot = r->message;
    // Unprivileged, it can only ask: a root job on the box reboots.
    if (auto asked = request_reboot(settings_.reboot_request, r->message); !asked)
      log::error("cannot request a reboot", {{"error", asked.message()}});
    else
      log::info("reboot requested", {{"file", settings_.reboot_request.string()}});
  }
  write_status();
}

void UpdatedService::write_status() {
  const auto& file = settings_.status_file;
  auto dir = tuf::files::Directory::open(file.parent_path().string(), true);
  auto written = dir ? dir->write_atomically(file.filename().string(),
                                             format_status(state_, settings_))
                     : Result<void>(dir.error());
  if (!written) log::warning("cannot write the status file", {{"error", written.message()}});
}

Health UpdatedService::health() { return {true, health_summary(state_, settings_)}; }

void UpdatedService::stop() {
  if (check_timer_) check_timer_->cancel();
  if (gate_timer_) gate_timer_->cancel();
  worker_.stop();
}

}  // namespace appliance::updated
