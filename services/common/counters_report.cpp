// NAME
//   counters_report.cpp - this process's counters; writing and strictly
//   reading their report.
#include "common/counters_report.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/health_report.h"
#include "common/status_file.h"

namespace appliance {
namespace {

constexpr std::string_view kWhat = "counters report";

Result<std::uint64_t> count(const nlohmann::json& doc, std::string_view key) {
  auto it = doc.find(key);
  if (it == doc.end()) return make_error(fmt::format("{}: no \"{}\"", kWhat, key));
  if (!it->is_number_unsigned() && !(it->is_number_integer() && it->get<std::int64_t>() >= 0))
    return make_error(fmt::format("{}: \"{}\" is not a whole number", kWhat, key));
  return it->get<std::uint64_t>();
}

nlohmann::json hours_json(const std::vector<HourCount>& hours) {
  nlohmann::json out = nlohmann::json::array();
  for (const HourCount& h : hours) out.push_back({h.hour, h.count});
  return out;
}

// [[hour, count], ...]: at most kHoursKept pairs of whole numbers, hours rising.
Result<std::vector<HourCount>> parse_hours(const nlohmann::json& doc) {
  const Error bad{
      "counters report: \"messages_in_hours\" is not at most 24 [hour, count] "
      "pairs of whole numbers, hours rising"};
  auto it = doc.find("messages_in_hours");
  if (it == doc.end()) return make_error("counters report: no \"messages_in_hours\"");
  if (!it->is_array() || it->size() > kHoursKept) return bad;
  std::vector<HourCount> out;
  for (const auto& pair : *it) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number_unsigned() ||
        !pair[1].is_number_unsigned() || pair[0].get<std::uint64_t>() > INT64_MAX)
      return bad;
    HourCount h{static_cast<std::int64_t>(pair[0].get<std::uint64_t>()),
                pair[1].get<std::uint64_t>()};
    if (!out.empty() && h.hour <= out.back().hour) return bad;
    out.push_back(h);
  }
  return out;
}

}  // namespace

void ProcessCounters::keyd_answered(std::chrono::steady_clock::time_point asked) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                  asked);
  keyd_requests.fetch_add(1, std::memory_order_relaxed);
  keyd_request_us.fetch_add(static_cast<std::uint64_t>(us.count()), std::memory_order_relaxed);
}

void ProcessCounters::message_in(std::int64_t unix_seconds) {
  messages_in.fetch_add(1, std::memory_order_relaxed);
  const std::int64_t hour = unix_seconds / 3600;
  std::lock_guard lock(hours_mutex_);
  HourCount& slot = hours_[static_cast<std::size_t>(hour) % kHoursKept];
  if (slot.hour != hour) slot = {hour, 0};
  ++slot.count;
}

std::vector<HourCount> ProcessCounters::messages_in_hours() const {
  std::vector<HourCount> out;
  {
    std::lock_guard lock(hours_mutex_);
    for (const HourCount& h : hours_)
      if (h.count > 0) out.push_back(h);
  }
  std::sort(out.begin(), out.end(),
            [](const HourCount& a, const HourCount& b) { return a.hour < b.hour; });
  return out;
}

ProcessCounters& process_counters() {
  static ProcessCounters counters;
  return counters;
}

CountersReport make_counters_report(std::string daemon, std::int64_t pid, std::string boot_id,
                                    std::int64_t written_ms, const ProcessCounters& c) {
  return {std::move(daemon),
          pid,
          std::move(boot_id),
          written_ms,
          c.messages_in.load(),
          c.tls_handshakes.load(),
          c.tls_handshake_failures.load(),
          c.keyd_requests.load(),
          c.keyd_request_us.load(),
          c.dmarc_refused.load(),
          c.dmarc_junked.load(),
          c.messages_in_hours()};
}

std::string format_counters_report(const CountersReport& r) {
  return status_file::dump({{"daemon", r.daemon},
                            {"pid", r.pid},
                            {"boot_id", r.boot_id},
                            {"written_ms", r.written_ms},
                            {"messages_in", r.messages_in},
                            {"tls_handshakes", r.tls_handshakes},
                            {"tls_handshake_failures", r.tls_handshake_failures},
                            {"keyd_requests", r.keyd_requests},
                            {"keyd_request_us", r.keyd_request_us},
                            {"dmarc_refused", r.dmarc_refused},
                            {"dmarc_junked", r.dmarc_junked},
                            {"messages_in_hours", hours_json(r.messages_in_hours)}});
}

Result<CountersReport> parse_counters_report(std::string_view text) {
  auto doc = status_file::parse_flat_object(
      text, kMaxCountersReport, kWhat,
      {"daemon", "pid", "boot_id", "written_ms", "messages_in", "tls_handshakes",
       "tls_handshake_failures", "keyd_requests", "keyd_request_us", "dmarc_refused",
       "dmarc_junked", "messages_in_hours"});
  if (!doc) return doc.error();
  CountersReport r;
  auto daemon = status_file::string_field(*doc, "daemon", kWhat);
  if (!daemon) return daemon.error();
  if (!is_daemon_name(*daemon))
    return make_error("counters report: \"daemon\" is not a daemon name");
  r.daemon = std::move(*daemon);
  auto boot_id = status_file::string_field(*doc, "boot_id", kWhat);
  if (!boot_id) return boot_id.error();
  if (!status_file::is_boot_id(*boot_id))
    return make_error("counters report: \"boot_id\" is not a boot id");
  r.boot_id = std::move(*boot_id);
  std::uint64_t pid = 0, written = 0;
  for (auto [key, field] : {std::pair{"pid", &pid},
                            {"written_ms", &written},
                            {"messages_in", &r.messages_in},
                            {"tls_handshakes", &r.tls_handshakes},
                            {"tls_handshake_failures", &r.tls_handshake_failures},
                            {"keyd_requests", &r.keyd_requests},
                            {"keyd_request_us", &r.keyd_request_us},
                            {"dmarc_refused", &r.dmarc_refused},
                            {"dmarc_junked", &r.dmarc_junked}}) {
    auto n = count(*doc, key);
    if (!n) return n.error();
    *field = *n;
  }
  if (pid > INT64_MAX || written > INT64_MAX)
    return make_error("counters report: \"pid\" or \"written_ms\" is too large");
  r.pid = static_cast<std::int64_t>(pid);
  r.written_ms = static_cast<std::int64_t>(written);
  auto hours = parse_hours(*doc);
  if (!hours) return hours.error();
  r.messages_in_hours = std::move(*hours);
  return r;
}

Result<CountersReport> read_counters_report(const std::filesystem::path& file) {
  auto text = read_report_file(file, kMaxCountersReport);
  if (!text) return text.error();
  auto report = parse_counters_report(*text);
  if (!report) return make_error(fmt::format("{}: {}", file.string(), report.message()));
  return report;
}

}  // namespace appliance
