// NAME
//   admin_status.cpp - GET /api/v1/admin/status (the dashboard) and GET
//   /metrics (Prometheus).
//
// DESCRIPTION
//   Both read the figures of operations.h when asked. The dashboard: each
//   daemon's state (ready, not_ready, stale, missing) with its reason and
//   the report's age, the token (keyd's report), storage, the TLS
//   certificates' expiry, mail out per hour for the last 24 hours, the
//   queue by state, updated's state and the last 20 security events. /metrics: the same
//   figures in the Prometheus text format 0.0.4, logins of the last 24
//   hours by protocol and result added, and logins and mail out as counters
//   since webd started (docs/web.md lists every metric).
//
// SECURITY
//   The dashboard is for an appliance admin and an auditor; /metrics for an
//   appliance admin only (a session, or an API key whose grants include
//   appliance-admin), as both describe every tenant. Neither changes
//   anything. Label values come from names a client chose (a protocol or
//   result is ours, a daemon's folder name is not): every one is escaped.
#include <fmt/format.h>

#include "webd/admin.h"
#include "webd/handlers.h"
#include "webd/http.h"
#include "webd/operations.h"
#include "webd/prometheus.h"
#include "webd/store_totals.h"

namespace appliance::webd {
namespace {

using nlohmann::json;

constexpr std::size_t kEventsShown = 20;

HttpResponse no_sources() {
  return json_error(503, "unavailable", "the service cannot answer now; try again later");
}

json daemons_json(const std::vector<DaemonState>& states) {
  json out = json::array();
  for (const auto& d : states)
    out.push_back({{"daemon", d.daemon},
                   {"state", d.state},
                   {"ready", d.ready},
                   {"reason", d.reason},
                   {"age_seconds", d.age_seconds ? json(*d.age_seconds) : json(nullptr)}});
  return out;
}

json token_json(const std::vector<DaemonState>& states) {
  for (const auto& d : states)
    if (d.daemon == "keyd") return {{"ready", d.ready}, {"state", d.state}, {"reason", d.reason}};
  return {{"ready", false}, {"state", "missing"}, {"reason", "keyd leaves no health report"}};
}

json certificates_json(const Operations& ops, std::int64_t now) {
  json out = json::array();
  if (!ops.certificates) return out;
  for (const auto& c : ops.certificates()) {
    json one = {{"key", c.key}};
    if (!c.error.empty()) {
      one["error"] = c.error;
    } else {
      one["subject"] = c.subject;
      one["not_after"] = c.not_after;
      one["days_left"] = (c.not_after - now) / 86400;
    }
    out.push_back(one);
  }
  return out;
}

Result<json> last_events(store::Store& store) {
  std::vector<store::EventRow> kept;
  for (std::uint64_t after = 0;;) {
    auto page = store.logs().events(after, 1000);
    if (!page) return page.error();
    for (auto& e : *page) {
      after = e.seq;
      kept.push_back(std::move(e));
      if (kept.size() > kEventsShown) kept.erase(kept.begin());
    }
    if (page->size() < 1000) break;
  }
  json out = json::array();
  for (auto e = kept.rbegin(); e != kept.rend(); ++e)
    out.push_back({{"seq", e->seq},
                   {"time", e->time},
                   {"actor", e->actor},
                   {"action", e->action},
                   {"target", e->target}});
  return out;
}

MetricFamily family(std::string name, std::string help, std::string type = "gauge") {
  return {std::move(name), std::move(help), std::move(type), {}};
}

json updates_json(const Updates& u) {
  json status = nullptr;
  if (u.status)
    status = {{"channel", u.status->channel},
              {"install", u.status->install},
              {"state", u.status->state},
              {"last_check", u.status->last_check ? json(*u.status->last_check) : json(nullptr)},
              {"result", u.status->result},
              {"message", u.status->message},
              {"running_version", u.status->running_version},
              {"available_version", u.status->available_version},
              {"pending_version", u.status->pending_version},
              {"boot", u.status->boot}};
  return {{"status", status},
          {"reason", u.reason},
          {"reboot_request", u.reboot_request ? json(*u.reboot_request) : json(nullptr)}};
}

// Counters since webd started (store_totals.h), beside the windows' gauges.
void add_totals(const StoreTotals::Totals& t, std::vector<MetricFamily>& out) {
  auto logins = family("appliance_logins_total",
                       "Logins since webd started, by protocol and result", "counter");
  for (const auto& [key, n] : t.logins)
    logins.samples.push_back({{{"protocol", key.first}, {"result", key.second}}, double(n)});
  auto sent = family("appliance_messages_out_total",
                     "Messages submitted for other domains since webd started", "counter");
  sent.samples = {{{}, double(t.messages_out)}};
  auto rcpts = family("appliance_message_recipients_out_total",
                      "Recipients in other domains of messages submitted since webd started",
                      "counter");
  rcpts.samples = {{{}, double(t.recipients_out)}};
  out.push_back(std::move(logins));
  out.push_back(std::move(sent));
  out.push_back(std::move(rcpts));
}

}  // namespace

namespace handlers {

HttpResponse admin_status(Call& call) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return *r;
  if (!admin.appliance && !admin.auditor)
    return forbidden("the dashboard is for appliance admins and auditors");
  const Operations* ops = call.parts.ops;
  if (!ops) return no_sources();
  store::Store& store = call.parts.store;
  const std::int64_t now = call.parts.clock.unix_seconds();
  auto states = daemon_states(*ops);
  auto queue = queue_counts(store);
  if (!queue) return unavailable(queue.error());
  auto hours = mail_out_hours(store, now, kWindowHours);
  if (!hours) return unavailable(hours.error());
  add_mail_in(*hours, daemon_counters(*ops));
  auto events = last_events(store);
  if (!events) return unavailable(events.error());
  json mail = json::array();
  for (const auto& h : *hours)
    mail.push_back({{"hour", h.hour * 3600},
                    {"in", h.in},
                    {"out", h.messages},
                    {"out_recipients", h.recipients}});
  json storage = nullptr;
  if (auto s = storage_of(ops->store_dir))
    storage = {
        {"total_bytes", s->total}, {"free_bytes", s->free}, {"used_bytes", s->total - s->free}};
  return json_response(200, {{"time", now},
                             {"daemons", daemons_json(states)},
                             {"token", token_json(states)},
                             {"storage", storage},
                             {"certificates", certificates_json(*ops, now)},
                             {"mail", mail},
                             {"queue", *queue},
                             {"updates", updates_json(updates_of(*ops))},
                             {"events", *events}});
}

HttpResponse metrics(Call& call) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return *r;
  if (!admin.appliance) return forbidden("/metrics is for appliance admins");
  const Operations* ops = call.parts.ops;
  if (!ops) return no_sources();
  store::Store& store = call.parts.store;
  const std::int64_t now = call.parts.clock.unix_seconds();
  std::vector<MetricFamily> out;

  auto ready = family("appliance_daemon_ready", "1 when the daemon's health report says ready");
  auto age = family("appliance_daemon_report_age_seconds", "Age of the daemon's health report");
  for (const auto& d : daemon_states(*ops)) {
    ready.samples.push_back({{{"daemon", d.daemon}, {"state", d.state}}, d.ready ? 1.0 : 0.0});
    if (d.age_seconds)
      age.samples.push_back({{{"daemon", d.daemon}}, static_cast<double>(*d.age_seconds)});
  }
  out.push_back(std::move(ready));
  out.push_back(std::move(age));

  auto queue = queue_counts(store);
  if (!queue) return unavailable(queue.error());
  auto q = family("appliance_queue_messages", "Messages in the outbound queue, by state");
  for (const auto& [state, n] : *queue) q.samples.push_back({{{"state", state}}, double(n)});
  out.push_back(std::move(q));

  auto hours = mail_out_hours(store, now, kWindowHours);
  if (!hours) return unavailable(hours.error());
  auto sent = family("appliance_messages_out",
                     "Messages submitted for other domains, over the last hour and 24 hours");
  auto rcpts = family("appliance_message_recipients_out",
                      "Recipients in other domains of submitted messages, over the last hour "
                      "and 24 hours");
  std::uint64_t day = 0, day_r = 0;
  for (const auto& h : *hours) day += h.messages, day_r += h.recipients;
  sent.samples = {{{{"window", "1h"}}, double(hours->back().messages)},
                  {{{"window", "24h"}}, double(day)}};
  rcpts.samples = {{{{"window", "1h"}}, double(hours->back().recipients)},
                   {{{"window", "24h"}}, double(day_r)}};
  out.push_back(std::move(sent));
  out.push_back(std::move(rcpts));

  auto newest = newest_logins(store);
  if (!newest) return unavailable(newest.error());
  auto l = family("appliance_logins", "Logins of the last 24 hours, by protocol and result");
  for (const auto& [key, n] : login_counts(*newest, now - kWindowHours * 3600))
    l.samples.push_back({{{"protocol", key.first}, {"result", key.second}}, double(n)});
  out.push_back(std::move(l));
  if (ops->totals) add_totals(ops->totals->add(*newest, *hours), out);

  auto in = family("appliance_messages_in_total", "Messages accepted since the daemon started",
                   "counter");
  auto tls = family("appliance_tls_handshakes_total",
                    "TLS handshakes on accepted connections since "
                    "the daemon started, by result",
                    "counter");
  auto dmarc = family("appliance_dmarc_enforced_total",
                      "MX messages refused or filed as Junk by their From domain's DMARC policy "
                      "since the daemon started",
                      "counter");
  auto keyd =
      family("appliance_keyd_request_seconds",
             "Time from a request to keyd to its answer, since the daemon started", "summary");
  for (const auto& c : daemon_counters(*ops)) {
    in.samples.push_back({{{"daemon", c.daemon}}, double(c.messages_in)});
    tls.samples.push_back({{{"daemon", c.daemon}, {"result", "ok"}}, double(c.tls_handshakes)});
    tls.samples.push_back(
        {{{"daemon", c.daemon}, {"result", "failed"}}, double(c.tls_handshake_failures)});
    keyd.samples.push_back({{{"daemon", c.daemon}}, c.keyd_request_us / 1e6, "_sum"});
    keyd.samples.push_back({{{"daemon", c.daemon}}, double(c.keyd_requests), "_count"});
    if (c.daemon == "smtpd") {
      dmarc.samples.push_back(
          {{{"daemon", c.daemon}, {"action", "refused"}}, double(c.dmarc_refused)});
      dmarc.samples.push_back({{{"daemon", c.daemon}, {"action", "junk"}}, double(c.dmarc_junked)});
    }
  }
  out.push_back(std::move(in));
  out.push_back(std::move(tls));
  out.push_back(std::move(dmarc));
  out.push_back(std::move(keyd));

  if (auto s = storage_of(ops->store_dir)) {
    auto st = family("appliance_storage_bytes", "The store's file system, total and free");
    st.samples = {{{{"kind", "total"}}, double(s->total)}, {{{"kind", "free"}}, double(s->free)}};
    out.push_back(std::move(st));
  }
  if (ops->certificates) {
    auto c = family("appliance_certificate_expiry_seconds",
                    "Expiry (Unix time) of the TLS certificate of each key keyd holds for us");
    for (const auto& cert : ops->certificates())
      if (cert.error.empty()) c.samples.push_back({{{"key", cert.key}}, double(cert.not_after)});
    out.push_back(std::move(c));
  }
  return {200, {{"Content-Type", std::string(kPrometheusContentType)}}, prometheus_text(out)};
}

}  // namespace handlers
}  // namespace appliance::webd
