// NAME
//   appliance_gate.cpp - the daemons' health reports and the store check's
//   verdict, read as files.
#include "updated/appliance_gate.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "common/health_report.h"
#include "common/store_verdict.h"
#include "tuf/files.h"

namespace appliance::updated {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxDaemons = 64;

// Whether `daemon`'s report says it is ready now; the error names it.
Result<void> daemon_ready(const Paths& paths, const std::string& daemon,
                          const Result<std::string>& boot_id) {
  if (!boot_id) return boot_id.error();
  auto report = read_health_report(paths.health_report(daemon));
  if (!report) return Error{daemon + ": " + report.message()};
  if (auto judged = judge_health_report(*report, daemon, *boot_id, boottime_ms()); !judged)
    return Error{daemon + ": " + judged.message()};
  return {};
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

}  // namespace

Result<void> check_services(const Paths& paths, const std::string& self) {
  std::vector<std::string> daemons;
  std::error_code ec;
  for (fs::directory_iterator it(paths.health_dir(), ec), end; !ec && it != end; it.increment(ec)) {
    if (daemons.size() == kMaxDaemons)
      return Error{
          fmt::format("{} holds more than {} folders", paths.health_dir().string(), kMaxDaemons)};
    const std::string name = it->path().filename().string();
    if (name != self && it->is_directory(ec)) daemons.push_back(name);
  }
  if (ec) return Error{fmt::format("{}: {}", paths.health_dir().string(), ec.message())};
  if (daemons.empty())
    return Error{"no daemon reports its health (" + paths.health_dir().string() + " holds none)"};
  std::sort(daemons.begin(), daemons.end());
  const Result<std::string> boot_id = read_boot_id();
  std::vector<std::string> faults;
  for (const std::string& daemon : daemons)
    if (auto r = daemon_ready(paths, daemon, boot_id); !r) faults.push_back(r.message());
  if (!faults.empty()) return Error{join(faults)};
  return {};
}

Result<void> check_keyd(const Paths& paths) {
  return daemon_ready(paths, "keyd", read_boot_id());
}

Result<void> check_store(const std::filesystem::path& verdict_file,
                         const Result<std::string>& boot_id) {
  if (!boot_id) return boot_id.error();
  auto dir = tuf::files::Directory::open(verdict_file.parent_path().string(), false);
  if (!dir) return Error{"no verdict yet (" + dir.message() + ")"};
  auto text = dir->read(verdict_file.filename().string(), kMaxVerdict);
  if (!text) return Error{verdict_file.string() + ": " + text.message()};
  if (!*text) return Error{"no verdict yet (" + verdict_file.string() + " is missing)"};
  auto verdict = parse_store_verdict(**text);
  if (!verdict) return Error{verdict_file.string() + ": " + verdict.message()};
  if (verdict->boot_id != *boot_id)
    return Error{"no verdict of this boot (the last, " + verdict->time + ", is of boot " +
                 verdict->boot_id + ")"};
  if (!verdict->ok) return Error{"check failed at " + verdict->time + ": " + verdict->reason};
  return {};
}

std::unique_ptr<slots::HealthGate> make_appliance_gate(const Paths& paths,
                                                       const std::string& self) {
  std::vector<slots::HealthCheck> checks = {
      {"services", [paths, self] { return check_services(paths, self); }},
      {"keyd", [paths] { return check_keyd(paths); }},
      {"store",
       [paths, boot_id = read_boot_id()] { return check_store(paths.store_verdict(), boot_id); }},
  };
  return std::make_unique<slots::ChecklistGate>(std::move(checks));
}

}  // namespace appliance::updated
