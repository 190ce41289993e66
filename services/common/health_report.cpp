// NAME
//   health_report.cpp - writing, strictly reading and judging health reports.
#include "common/health_report.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace appliance {
namespace {

using status_file::string_field;

constexpr std::string_view kWhat = "health report";

Result<std::int64_t> count_field(const nlohmann::json& doc, std::string_view key) {
  auto it = doc.find(key);
  if (it == doc.end()) return make_error(fmt::format("{}: no \"{}\"", kWhat, key));
  if (!it->is_number_integer() || it->get<std::int64_t>() < 0)
    return make_error(fmt::format("{}: \"{}\" is not a whole number", kWhat, key));
  return it->get<std::int64_t>();
}

}  // namespace

bool is_daemon_name(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  return true;
}

std::int64_t boottime_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_BOOTTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

HealthReport make_health_report(std::string daemon, std::int64_t pid, std::string boot_id,
                                std::int64_t written_ms, bool ready, std::string_view reason) {
  return HealthReport{std::move(daemon), pid,   std::move(boot_id),
                      written_ms,        ready, status_file::one_line(reason, kMaxHealthReason)};
}

std::string format_health_report(const HealthReport& r) {
  return status_file::dump({{"daemon", r.daemon},
                            {"pid", r.pid},
                            {"boot_id", r.boot_id},
                            {"written_ms", r.written_ms},
                            {"ready", r.ready},
                            {"reason", r.reason}});
}

Result<HealthReport> parse_health_report(std::string_view text) {
  auto doc = status_file::parse_flat_object(
      text, kMaxHealthReport, kWhat, {"daemon", "pid", "boot_id", "written_ms", "ready", "reason"});
  if (!doc) return doc.error();
  HealthReport r;
  auto daemon = string_field(*doc, "daemon", kWhat);
  if (!daemon) return daemon.error();
  if (!is_daemon_name(*daemon)) return make_error("health report: \"daemon\" is not a daemon name");
  r.daemon = std::move(*daemon);
  auto pid = count_field(*doc, "pid");
  if (!pid) return pid.error();
  r.pid = *pid;
  auto boot_id = string_field(*doc, "boot_id", kWhat);
  if (!boot_id) return boot_id.error();
  if (!status_file::is_boot_id(*boot_id))
    return make_error("health report: \"boot_id\" is not a boot id");
  r.boot_id = std::move(*boot_id);
  auto written = count_field(*doc, "written_ms");
  if (!written) return written.error();
  r.written_ms = *written;
  auto ready = doc->find("ready");
  if (ready == doc->end()) return make_error("health report: no \"ready\"");
  if (!ready->is_boolean()) return make_error("health report: \"ready\" is not true or false");
  r.ready = ready->get<bool>();
  auto reason = string_field(*doc, "reason", kWhat);
  if (!reason) return reason.error();
  if (reason->size() > kMaxHealthReason || !status_file::is_one_line(*reason))
    return make_error("health report: \"reason\" is not one line of at most 512 bytes");
  r.reason = std::move(*reason);
  return r;
}

Result<std::string> read_report_file(const std::filesystem::path& file, std::size_t max) {
  const std::string name = file.string();
  struct stat dir {};
  if (::lstat(file.parent_path().c_str(), &dir) != 0) {
    if (errno == ENOENT)
      return make_error(fmt::format("no report ({} is missing)", file.parent_path().string()));
    return make_error(fmt::format("{}: {}", file.parent_path().string(), std::strerror(errno)));
  }
  if (!S_ISDIR(dir.st_mode) || (dir.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    return make_error(
        fmt::format("{}: not a folder only its owner may write", file.parent_path().string()));
  int fd = ::open(name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT) return make_error(fmt::format("no report ({} is missing)", name));
    return make_error(fmt::format("{}: {}", name, std::strerror(errno)));
  }
  struct stat st {};
  std::string text;
  Result<void> fit;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != dir.st_uid) {
    fit = make_error(fmt::format("{}: not a regular file of the folder's owner", name));
  } else if (st.st_size > static_cast<off_t>(max)) {
    fit = make_error(fmt::format("{}: {} bytes, at most {}", name, st.st_size, max));
  } else {
    text.resize(max + 1);
    ssize_t n = ::read(fd, text.data(), text.size());
    text.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  }
  ::close(fd);
  if (!fit) return fit.error();
  return text;
}

Result<HealthReport> read_health_report(const std::filesystem::path& file) {
  auto text = read_report_file(file, kMaxHealthReport);
  if (!text) return text.error();
  auto report = parse_health_report(*text);
  if (!report) return make_error(fmt::format("{}: {}", file.string(), report.message()));
  return report;
}

Result<void> judge_health_report(const HealthReport& report, std::string_view daemon,
                                 std::string_view boot_id, std::int64_t now_ms) {
  if (report.daemon != daemon)
    return make_error(fmt::format("the report names another daemon ({})", report.daemon));
  if (report.boot_id != boot_id) return make_error("no report of this boot (not running?)");
  const std::int64_t age = now_ms - report.written_ms;
  if (age > std::chrono::milliseconds(kHealthReportStale).count())
    return make_error(fmt::format("no report for {} s (not running?)", age / 1000));
  if (!report.ready) return make_error(fmt::format("not ready ({})", report.reason));
  return {};
}

}  // namespace appliance
