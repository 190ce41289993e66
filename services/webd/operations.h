// NAME
//   operations.h - the figures of the dashboard (/api/v1/admin/status) and
//   of /metrics, and where each comes from.
//
// DESCRIPTION
//   - Daemons: each daemon's health report, run/health/<daemon>/health.json
//     (common/health_report.h), read strictly; its age from CLOCK_BOOTTIME.
//     The token's state is keyd's report.
//   - Messages in, TLS handshakes, keyd's latency: each process's counters,
//     run/health/<daemon>/counters.json (common/counters_report.h).
//   - Queue: every tenant's outbound queue, counted by state (queued, held).
//   - Mail out: the store's sending hours (messages and recipients each
//     account submitted for other domains, per clock hour, kept 8 days).
//     Mail in: smtpd's counters of its last 24 clock hours (since it started).
//   - Logins: the login log, by protocol and result, over a window.
//   - Logins and mail out as counters since webd started: StoreTotals
//     (store_totals.h), advanced at each reading of /metrics.
//   - Storage: the file system of the store (statvfs).
//   - Certificates: the leaf of each TLS key's chain, as keyd gives it.
//   - Updates: updated's status file (common/update_status.h), read
//     strictly from its user's folder, and its reboot request if there is one.
//   Each is read when asked: nothing is cached (but the totals), and nothing
//   is written.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/counters_report.h"
#include "common/result.h"
#include "common/update_status.h"
#include "store/store.h"

namespace appliance::webd {

class StoreTotals;  // store_totals.h

// The window of the dashboard's mail chart and of the gauges of /metrics.
inline constexpr int kWindowHours = 24;

struct Certificate {
  std::string key;      // tls/<host name>
  std::string subject;  // the leaf's, one line
  std::int64_t not_after = 0;
  std::string error;  // why there is none to show
};

// What webd is given beyond the store: set by webd.cpp, and by the tests.
struct Operations {
  std::filesystem::path health_dir;  // run/health
  std::filesystem::path store_dir;
  std::function<std::vector<Certificate>()> certificates;
  std::function<std::int64_t()> boottime_ms;
  std::string boot_id;  // this boot's, to tell a report of an earlier one
  std::filesystem::path update_status;   // updated's status file
  std::filesystem::path reboot_request;  // updated's request for a reboot
  std::shared_ptr<StoreTotals> totals;    // the counters of /metrics; none: not answered
};

struct DaemonState {
  std::string daemon;
  bool ready = false;
  std::string state;   // ready, not_ready, stale, missing
  std::string reason;  // the report's, or why there is none
  std::optional<std::int64_t> age_seconds;
};

struct MailHour {
  std::int64_t hour = 0;                       // Unix time / 3600
  std::uint64_t messages = 0, recipients = 0;  // out
  std::uint64_t in = 0;                        // messages accepted by smtpd
};

struct Updates {
  std::optional<UpdateStatus> status;
  std::string reason;                         // why there is no status
  std::optional<std::string> reboot_request;  // its reason, one line
};

struct Storage {
  std::uint64_t total = 0, free = 0;
};

// Every daemon with a folder under health_dir, by name.
std::vector<DaemonState> daemon_states(const Operations& ops);
// The counters of every daemon whose report is of this boot and reads, by name.
std::vector<CountersReport> daemon_counters(const Operations& ops);
// Queue entries of every tenant by state: "queued", "held".
Result<std::map<std::string, std::uint64_t>> queue_counts(store::Store& store);
// Messages submitted for other domains in each of the `hours` clock hours up
// to the one of `now`, oldest first; an hour without mail is there with 0.
Result<std::vector<MailHour>> mail_out_hours(store::Store& store, std::int64_t now, int hours);
// Adds the messages the daemons accepted, by hour, to `hours` (from mail_out_hours).
void add_mail_in(std::vector<MailHour>& hours, const std::vector<CountersReport>& counters);
// The newest 10,000 entries of the login log, newest first.
Result<std::vector<store::LoginRecord>> newest_logins(store::Store& store);
// Logins since `since` by (protocol, result), among `newest` (newest first).
std::map<std::pair<std::string, std::string>, std::uint64_t> login_counts(
    const std::vector<store::LoginRecord>& newest, std::int64_t since);
Result<Storage> storage_of(const std::filesystem::path& dir);
Updates updates_of(const Operations& ops);
// The leaf certificate's subject and expiry in a PEM chain.
Result<Certificate> leaf_certificate(std::string key, std::string_view chain_pem);

}  // namespace appliance::webd
