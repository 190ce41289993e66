// NAME
//   health_report.h - each daemon's health, as a file any local process may
//   read.
//
// DESCRIPTION
//   A daemon's admin socket is root's alone; updated's health gate runs as
//   its own unprivileged user. So every daemon on the skeleton also leaves
//   its health (what the admin socket would answer) in
//   Paths::health_report(name), run/health/<daemon>/health.json, rewritten
//   every kHealthReportEvery and removed when it stops:
//
//     {"daemon":"smtpd","pid":4242,"boot_id":"0f3c...","written_ms":81234,
//      "ready":true,"reason":"serving"}
//
//   `written_ms` is CLOCK_BOOTTIME in milliseconds: a reader compares it with
//   its own, so setting the wall clock neither ages nor freshens a report.
//   The folder run/health/<daemon> belongs to the daemon's user, so only the
//   daemon (or root) writes there; a reader checks that the report's owner
//   is the folder's (read_health_report()).
//
//   judge_health_report() is the gate's rule: a report counts when it names
//   the daemon, is of this boot, at most kHealthReportStale old and ready.
//   parse_health_report() reads strictly (these six keys, each once, of
//   their type and form; at most kMaxHealthReport bytes) and is fuzzed.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/status_file.h"

namespace appliance {

struct HealthReport {
  std::string daemon;
  std::int64_t pid = 0;
  std::string boot_id;
  std::int64_t written_ms = 0;  // CLOCK_BOOTTIME
  bool ready = false;
  std::string reason;  // one line
};

inline constexpr std::size_t kMaxHealthReport = 2048;
inline constexpr std::size_t kMaxHealthReason = 512;
inline constexpr std::chrono::seconds kHealthReportEvery{5};
inline constexpr std::chrono::seconds kHealthReportStale{20};

// A daemon's name: 1 to 32 of a-z, 0-9, '-', '_'.
bool is_daemon_name(std::string_view s);
// Milliseconds since boot, suspend included.
std::int64_t boottime_ms();

// Cuts the reason to one line of at most kMaxHealthReason bytes.
HealthReport make_health_report(std::string daemon, std::int64_t pid, std::string boot_id,
                                std::int64_t written_ms, bool ready, std::string_view reason);
std::string format_health_report(const HealthReport& report);
Result<HealthReport> parse_health_report(std::string_view text);

// The text of `file` (at most `max` bytes), refused unless it is a regular
// file (not a link) owned by the owner of its folder, which no one else may
// write: the reading half of every report left in run/health.
Result<std::string> read_report_file(const std::filesystem::path& file, std::size_t max);
// The report in `file`, refused unless it is a regular file (not a link)
// owned by the owner of its folder, which no one else may write.
Result<HealthReport> read_health_report(const std::filesystem::path& file);

// Whether `report` says that `daemon` is ready now; the error says why not,
// e.g. "not ready (token locked)", "no report for 31 s (not running?)".
Result<void> judge_health_report(const HealthReport& report, std::string_view daemon,
                                 std::string_view boot_id, std::int64_t now_ms);

}  // namespace appliance
