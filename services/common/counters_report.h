// NAME
//   counters_report.h - one process's counters, left beside its health
//   report for webd's /metrics.
//
// DESCRIPTION
//   Some figures exist only inside a process: TLS handshakes (net), the time
//   keyd takes to answer (keyd's client), messages accepted (smtpd). Each
//   process counts them in process_counters(), one set per process as a
//   process has one TLS stack and one keyd client; the skeleton writes them
//   with the health report, every kHealthReportEvery, to
//   Paths::counters_report(name), run/health/<daemon>/counters.json:
//
//     {"daemon":"smtpd","pid":4242,"boot_id":"0f3c...","written_ms":81234,
//      "messages_in":12,"tls_handshakes":30,"tls_handshake_failures":1,
//      "keyd_requests":55,"keyd_request_us":7120,"dmarc_refused":2,
//      "dmarc_junked":1,"messages_in_hours":[[493811,4],[493812,8]]}
//
//   The counts start at 0 with the process (pid and boot_id tell a restart);
//   messages_in_hours holds the messages of each of the last 24 clock hours
//   (Unix time / 3600) that had any, for the dashboard's mail per hour;
//   dmarc_refused and dmarc_junked count the MX messages that the From
//   domain's DMARC policy had refused or filed as Junk (smtpd/inbound.h).
//   parse_counters_report() reads strictly (these twelve keys, each once, each
//   of its type and form; at most kMaxCountersReport bytes) and is fuzzed;
//   read_counters_report() refuses a file that is not its folder owner's,
//   as read_health_report() does.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace appliance {

// Messages in one clock hour (Unix time / 3600).
struct HourCount {
  std::int64_t hour = 0;
  std::uint64_t count = 0;
  bool operator==(const HourCount&) const = default;
};
inline constexpr std::size_t kHoursKept = 24;

struct ProcessCounters {
  std::atomic<std::uint64_t> messages_in{0};
  std::atomic<std::uint64_t> tls_handshakes{0}, tls_handshake_failures{0};
  std::atomic<std::uint64_t> keyd_requests{0}, keyd_request_us{0};
  std::atomic<std::uint64_t> dmarc_refused{0}, dmarc_junked{0};

  // One answer of keyd, asked at `asked`.
  void keyd_answered(std::chrono::steady_clock::time_point asked);
  // A message accepted at `unix_seconds`: counted, and counted in its clock hour.
  void message_in(std::int64_t unix_seconds);
  // The last kHoursKept clock hours with messages, oldest first.
  std::vector<HourCount> messages_in_hours() const;

 private:
  mutable std::mutex hours_mutex_;
  std::array<HourCount, kHoursKept> hours_{};  // an hour's slot: hour % kHoursKept
};

// This process's counters (a process counts once, from any thread).
ProcessCounters& process_counters();

struct CountersReport {
  std::string daemon;
  std::int64_t pid = 0;
  std::string boot_id;
  std::int64_t written_ms = 0;  // CLOCK_BOOTTIME
  std::uint64_t messages_in = 0, tls_handshakes = 0, tls_handshake_failures = 0;
  std::uint64_t keyd_requests = 0, keyd_request_us = 0;
  std::uint64_t dmarc_refused = 0, dmarc_junked = 0;
  std::vector<HourCount> messages_in_hours;  // at most kHoursKept, hours rising
};

inline constexpr std::size_t kMaxCountersReport = 2048;

CountersReport make_counters_report(std::string daemon, std::int64_t pid, std::string boot_id,
                                    std::int64_t written_ms, const ProcessCounters& counters);
std::string format_counters_report(const CountersReport& report);
Result<CountersReport> parse_counters_report(std::string_view text);
Result<CountersReport> read_counters_report(const std::filesystem::path& file);

}  // namespace appliance
