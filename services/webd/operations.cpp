// NAME
//   operations.cpp - reading the dashboard's and /metrics' figures.
//
// SECURITY
//   The health reports are read with read_health_report(): a regular file of
//   its folder's owner, at most 2 KiB, parsed strictly; a report that does
//   not pass is shown as missing with the reason, never trusted in part.
#include "webd/operations.h"

#include <fmt/format.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>

#include "common/health_report.h"
#include "common/status_file.h"

namespace appliance::webd {
namespace {

constexpr std::size_t kLoginsScanned = 10000;

DaemonState state_of(const Operations& ops, const std::string& daemon) {
  DaemonState s{daemon, false, "missing", "", std::nullopt};
  auto report = read_health_report(ops.health_dir / daemon / "health.json");
  if (!report) {
    s.reason = report.message();
    return s;
  }
  const std::int64_t now = ops.boottime_ms();
  s.reason = report->reason;
  if (report->boot_id == ops.boot_id)
    s.age_seconds = std::max<std::int64_t>(0, now - report->written_ms) / 1000;
  auto judged = judge_health_report(*report, daemon, ops.boot_id, now);
  const bool fresh =
      report->boot_id == ops.boot_id && report->daemon == daemon &&
      now - report->written_ms <= std::chrono::milliseconds(kHealthReportStale).count();
  s.ready = judged.ok();
  s.state = s.ready ? "ready" : fresh ? "not_ready" : "stale";
  if (!fresh) s.reason = judged.message();
  return s;
}

constexpr std::size_t kMaxDaemons = 64;

// The folders under health_dir, one per daemon, sorted; at most kMaxDaemons.
std::vector<std::string> daemon_names(const Operations& ops) {
  std::vector<std::string> names;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(ops.health_dir, ec), end;
       !ec && it != end && names.size() < kMaxDaemons; it.increment(ec))
    if (it->is_directory(ec)) names.push_back(it->path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

std::vector<DaemonState> daemon_states(const Operations& ops) {
  std::vector<DaemonState> out;
  for (const auto& name : daemon_names(ops)) out.push_back(state_of(ops, name));
  return out;
}

std::vector<CountersReport> daemon_counters(const Operations& ops) {
  std::vector<CountersReport> out;
  for (const auto& name : daemon_names(ops)) {
    auto report = read_counters_report(ops.health_dir / name / "counters.json");
    if (report && report->daemon == name && report->boot_id == ops.boot_id)
      out.push_back(std::move(*report));
  }
  return out;
}

Result<std::map<std::string, std::uint64_t>> queue_counts(store::Store& store) {
  std::map<std::string, std::uint64_t> out{{"queued", 0}, {"held", 0}};
  auto tenants = store.tenants();
  if (!tenants) return tenants.error();
  for (const auto& t : *tenants) {
    auto ts = store.tenant(t.id);
    if (!ts) return ts.error();
    auto entries = (*ts)->queue().entries();
    if (!entries) return entries.error();
    for (const auto& e : *entries) ++out[e.held ? "held" : "queued"];
  }
  return out;
}

Result<std::vector<MailHour>> mail_out_hours(store::Store& store, std::int64_t now, int hours) {
  const std::int64_t last = now / 3600, first = last - hours + 1;
  std::vector<MailHour> out;
  for (std::int64_t h = first; h <= last; ++h) out.push_back({h, 0, 0});
  auto tenants = store.tenants();
  if (!tenants) return tenants.error();
  for (const auto& t : *tenants) {
    auto ts = store.tenant(t.id);
    if (!ts) return ts.error();
    auto accounts = (*ts)->accounts();
    if (!accounts) return accounts.error();
    for (const auto& a : *accounts) {
      auto sent = (*ts)->queue().sending(a.id, first);
      if (!sent) return sent.error();
      for (const auto& s : *sent) {
        if (s.hour < first || s.hour > last) continue;
        auto& slot = out[static_cast<std::size_t>(s.hour - first)];
        slot.messages += s.messages;
        slot.recipients += s.recipients;
      }
    }
  }
  return out;
}

void add_mail_in(std::vector<MailHour>& hours, const std::vector<CountersReport>& counters) {
  if (hours.empty()) return;
  const std::int64_t first = hours.front().hour, last = hours.back().hour;
  for (const auto& c : counters)
    for (const HourCount& h : c.messages_in_hours)
      if (h.hour >= first && h.hour <= last)
        hours[static_cast<std::size_t>(h.hour - first)].in += h.count;
}

Result<std::vector<store::LoginRecord>> newest_logins(store::Store& store) {
  return store.logs().logins("", kLoginsScanned);
}

std::map<std::pair<std::string, std::string>, std::uint64_t> login_counts(
    const std::vector<store::LoginRecord>& newest, std::int64_t since) {
  std::map<std::pair<std::string, std::string>, std::uint64_t> out;
  for (const auto& l : newest) {
    if (l.time < since) break;  // newest first
    ++out[{l.protocol, l.result}];
  }
  return out;
}

Result<Storage> storage_of(const std::filesystem::path& dir) {
  struct statvfs fs {};
  if (::statvfs(dir.c_str(), &fs) != 0)
    return make_error(fmt::format("{}: {}", dir.string(), std::strerror(errno)));
  return Storage{static_cast<std::uint64_t>(fs.f_blocks) * fs.f_frsize,
                 static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize};
}

Updates updates_of(const Operations& ops) {
  Updates out;
  std::error_code ec;
  if (!std::filesystem::exists(ops.update_status, ec)) {
    out.reason =
        "not reported yet: updated writes it at its first check (none without an update "
        "channel)";
  } else if (auto text = read_report_file(ops.update_status, kMaxUpdateStatus); !text) {
    out.reason = text.message();
  } else if (auto status = parse_update_status(*text); !status) {
    out.reason = ops.update_status.string() + ": " + status.message();
  } else {
    out.status = std::move(*status);
  }
  if (auto request = read_report_file(ops.reboot_request, 4096); request)
    out.reboot_request = status_file::one_line(*request, 512);
  return out;
}

Result<Certificate> leaf_certificate(std::string key, std::string_view chain_pem) {
  if (chain_pem.empty()) return make_error("no certificate");
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(chain_pem.data(), static_cast<int>(chain_pem.size())), BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> leaf(
      bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr, X509_free);
  if (!leaf) return make_error("the certificate cannot be read");
  std::tm tm{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(leaf.get()), &tm) != 1)
    return make_error("the certificate's expiry cannot be read");
  Certificate c;
  c.key = std::move(key);
  c.not_after = static_cast<std::int64_t>(timegm(&tm));
  char subject[256] = {};
  X509_NAME_oneline(X509_get_subject_name(leaf.get()), subject, sizeof subject);
  c.subject = subject;
  return c;
}

}  // namespace appliance::webd
