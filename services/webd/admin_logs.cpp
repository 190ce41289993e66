// NAME
//   admin_logs.cpp - /api/v1/admin/logins and /api/v1/admin/events: the
//   login log and the security events, filtered, as JSON or CSV.
//
// DESCRIPTION
//   Filters: account, protocol and result (logins), action (events),
//   since and until (Unix seconds, inclusive), limit (1 to 1000, default
//   100). Newest first. The login log is filtered over its newest 10,000
//   entries (those of the account, when one is named).
//
// SECURITY
//   An appliance admin and an auditor read everything; a tenant admin reads
//   the logins of its tenant's accounts and the events about its tenant's
//   addresses and domains. Values come from clients (names tried, user
//   agents): in CSV every field is quoted, and one that a spreadsheet would
//   read as a formula (=, +, -, @, tab, carriage return first) is prefixed
//   with ' so that it stays text (OWASP, "CSV Injection").
#include <fmt/format.h>

#include <charconv>
#include <deque>
#include <set>

#include "auth/account_service.h"
#include "store/domains.h"
#include "webd/admin.h"
#include "webd/admin_csv.h"
#include "webd/handlers.h"
#include "webd/http.h"

namespace appliance::webd {
namespace {

using nlohmann::json;

constexpr std::size_t kScanned = 10000;

struct Filter {
  std::string account, protocol, result, action;
  std::int64_t since = 0, until = INT64_MAX;
  std::size_t limit = 100;
  bool csv = false;

  bool in_time(std::int64_t t) const { return t >= since && t <= until; }
};

Result<std::int64_t> number(const std::string& text, const char* name, std::int64_t max) {
  std::int64_t n = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (error != std::errc() || end != text.data() + text.size() || n < 0 || n > max)
    return make_error(fmt::format("\"{}\" must be a whole number from 0 to {}", name, max));
  return n;
}

std::optional<HttpResponse> read_filter(const Call& call, Filter& f) {
  for (auto [name, field] : {std::pair{"account", &f.account},
                             {"protocol", &f.protocol},
                             {"result", &f.result},
                             {"action", &f.action}}) {
    auto v = query_param(call, name);
    if (!v || v->size() > 254)
      return bad_input(fmt::format("\"{}\" is badly encoded or too long", name));
    *field = *v;
  }
  f.account = auth::lower(f.account);
  for (auto [name, field] : {std::pair{"since", &f.since}, {"until", &f.until}}) {
    auto v = query_param(call, name);
    if (!v) return bad_input(fmt::format("\"{}\" is badly encoded", name));
    if (v->empty()) continue;
    auto n = number(*v, name, INT64_MAX);
    if (!n) return bad_input(n.message());
    *field = *n;
  }
  if (auto r = read_limit(call, f.limit)) return r;
  auto format = query_param(call, "format");
  if (!format || (!format->empty() && *format != "json" && *format != "csv"))
    return bad_input("\"format\" must be json or csv");
  f.csv = *format == "csv";
  return std::nullopt;
}

HttpResponse csv_response(std::string name, std::string body) {
  return {200,
          {{"Content-Type", "text/csv; charset=utf-8"},
           {"Content-Disposition", fmt::format("attachment; filename=\"{}.csv\"", name)}},
          std::move(body)};
}

// The domain an event's target names: an address's, or the target itself.
std::string domain_of(const std::string& target) {
  auto at = target.rfind('@');
  return at == std::string::npos ? target : target.substr(at + 1);
}

Result<std::set<std::string>> tenant_domains(Call& call, store::Id tenant) {
  auto listed = store::domains_of(call.parts.store);
  if (!listed) return listed.error();
  auto all = (*listed)->domains();
  if (!all) return all.error();
  std::set<std::string> out;
  for (const auto& d : *all)
    if (d.tenant == tenant) out.insert(d.name);
  return out;
}

}  // namespace

namespace handlers {

HttpResponse admin_logins(Call& call) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return *r;
  Filter f;
  if (auto r = read_filter(call, f)) return *r;
  auto rows = call.parts.store.logs().logins(f.account, kScanned);
  if (!rows) return unavailable(rows.error());
  std::vector<store::LoginRecord> kept;
  for (auto& l : *rows) {
    if (kept.size() == f.limit) break;
    if (!admin.appliance && !admin.auditor && l.tenant != admin.tenant) continue;
    if (!f.in_time(l.time) || (!f.protocol.empty() && l.protocol != f.protocol) ||
        (!f.result.empty() && l.result != f.result))
      continue;
    kept.push_back(std::move(l));
  }
  if (f.csv) {
    std::string out =
        csv_row({"time", "account", "protocol", "source", "client", "result", "reason"});
    for (const auto& l : kept)
      out += csv_row(
          {std::to_string(l.time), l.account, l.protocol, l.source, l.client, l.result, l.reason});
    return csv_response("logins", std::move(out));
  }
  json out = json::array();
  for (const auto& l : kept)
    out.push_back({{"time", l.time},
                   {"account", l.account},
                   {"protocol", l.protocol},
                   {"source", l.source},
                   {"client", l.client},
                   {"result", l.result},
                   {"reason", l.reason}});
  return json_response(200, {{"logins", out}});
}

HttpResponse admin_events(Call& call) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return *r;
  Filter f;
  if (auto r = read_filter(call, f)) return *r;
  std::set<std::string> domains;
  bool all = admin.appliance || admin.auditor;
  if (!all) {
    auto d = tenant_domains(call, *admin.tenant);
    if (!d) return unavailable(d.error());
    domains = std::move(*d);
  }
  // Oldest first from the store, in pages; the newest `limit` that pass are kept.
  std::deque<store::EventRow> kept;
  for (std::uint64_t after = 0;;) {
    auto page = call.parts.store.logs().events(after, 1000);
    if (!page) return unavailable(page.error());
    for (auto& e : *page) {
      after = e.seq;
      if (!all && !domains.contains(domain_of(e.target))) continue;
      if (!f.in_time(e.time) || (!f.action.empty() && e.action != f.action)) continue;
      if (!f.account.empty() && e.target != f.account && e.actor != f.account) continue;
      kept.push_back(std::move(e));
      if (kept.size() > f.limit) kept.pop_front();
    }
    if (page->size() < 1000) break;
  }
  if (f.csv) {
    std::string out = csv_row({"seq", "time", "actor", "action", "target", "details"});
    for (auto e = kept.rbegin(); e != kept.rend(); ++e)
      out += csv_row({std::to_string(e->seq), std::to_string(e->time), e->actor, e->action,
                      e->target, e->details});
    return csv_response("events", std::move(out));
  }
  json out = json::array();
  for (auto e = kept.rbegin(); e != kept.rend(); ++e) {
    json details = json::parse(e->details, nullptr, false);
    out.push_back({{"seq", e->seq},
                   {"time", e->time},
                   {"actor", e->actor},
                   {"action", e->action},
                   {"target", e->target},
                   {"details", details.is_discarded() ? json(e->details) : details}});
  }
  return json_response(200, {{"events", out}});
}

}  // namespace handlers
}  // namespace appliance::webd
