// NAME
//   me.cpp - the signed-in account's own API: who, last logins, security
//   events, password, app passwords, TOTP enrolment, API keys, the export.
//
// SECURITY
//   Every handler acts on the caller's own account only (the session's or
//   the API key's). A secret made here (app password, API key, recovery
//   codes) is in the response once and nowhere else. Changing the password,
//   turning TOTP off, making an API key and the export need sudo mode
//   (routes.cpp). The export holds the account's mail in clear; it is
//   streamed as it is made (conversation.h), never held whole, and at most
//   kExportsAtOnce run at a time, since each holds a worker.
#include <fmt/format.h>

#include <atomic>
#include <ctime>

#include "auth/api_keys.h"
#include "auth/export_tar.h"
#include "common/log.h"
#include "webd/handlers.h"
#include "webd/http.h"
#include "webd/json_body.h"

namespace appliance::webd::handlers {
namespace {

using nlohmann::json;

constexpr std::size_t kListed = 50;
constexpr int kExportsAtOnce = 2;

// Details are stored as JSON objects; anything else is passed on as text.
json details_of(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json(text) : j;
}

json optional_time(const std::optional<std::int64_t>& t) { return t ? json(*t) : json(nullptr); }

// A list of strings in the body, joined with commas; an error naming the field.
Result<std::string> string_list(const json& body, const char* name, bool optional) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (optional) return std::string();
    return make_error(fmt::format("\"{}\" is missing", name));
  }
  if (!it->is_array() || it->size() > 32)
    return make_error(fmt::format("\"{}\" must be a list of at most 32 strings", name));
  std::string out;
  for (const auto& item : *it) {
    if (!item.is_string() || item.get_ref<const std::string&>().size() > 64)
      return make_error(fmt::format("\"{}\" must be a list of short strings", name));
    out += (out.empty() ? "" : ",") + item.get<std::string>();
  }
  return out;
}

Result<auth::Scope> scope_from(const json& body, std::int64_t now) {
  auto protocols = string_list(body, "protocols", false);
  if (!protocols) return protocols.error();
  auto bits = auth::parse_protocols(*protocols);
  if (!bits) return bits.error();
  auth::Scope scope{*bits, {}, {}};
  auto networks = string_list(body, "networks", true);
  if (!networks) return networks.error();
  for (std::size_t start = 0; start < networks->size();) {
    auto comma = std::min(networks->find(',', start), networks->size());
    auto net = auth::parse_cidr(std::string_view(*networks).substr(start, comma - start));
    if (!net) return net.error();
    scope.networks.push_back(*net);
    start = comma + 1;
  }
  auto expires = integer_field(body, "expires");
  if (!expires) return expires.error();
  if (*expires && **expires <= now) return make_error("\"expires\" must be in the future");
  scope.expires = *expires;
  return scope;
}

json app_password_json(const store::AppPassword& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"protocols", auth::protocols_to_string(p.protocols)},
          {"networks", p.networks},
          {"expires", optional_time(p.expires)},
          {"created", p.created},
          {"last_used", optional_time(p.last_used)},
          {"revoked", optional_time(p.revoked)}};
}

json api_key_json(const store::ApiKey& k) {
  return {{"id", k.id},
          {"name", k.name},
          {"grants", k.grants},
          {"expires", optional_time(k.expires)},
          {"created", k.created},
          {"last_used", optional_time(k.last_used)},
          {"revoked", optional_time(k.revoked)}};
}

// Revokes the caller's item named by the path, if it is live: 404 otherwise.
template <class Rows, class Revoke>
HttpResponse revoke_live(Call& call, const Result<Rows>& rows, std::string_view what,
                         const Revoke& revoke) {
  if (!rows) return unavailable(rows.error());
  bool live = std::any_of(rows->begin(), rows->end(),
                          [&](const auto& r) { return r.id == call.param && !r.revoked; });
  if (!live) return json_error(404, "not_found", fmt::format("no such {} that is not revoked", what));
  if (auto r = revoke(); !r) return unavailable(r.error());
  return {204, {}, {}};
}

}  // namespace

HttpResponse me(Call& call) {
  auto where = call.parts.accounts.existing(call.address());
  if (!where) return unavailable(where.error());
  const auto& a = *where->account;
  auto pending = where->tenant->email_token(a.id, "contact");
  if (!pending) return unavailable(pending.error());
  bool waiting =
      *pending && !(*pending)->used && (*pending)->expires > call.parts.clock.unix_seconds();
  return json_response(200, {{"address", a.address},
                             {"role", store::to_string(a.role)},
                             {"two_factor", a.two_factor()},
                             {"tenant", where->domain.tenant},
                             {"contact_email", a.contact_email},
                             {"contact_pending", waiting ? (*pending)->address : ""}});
}

HttpResponse my_logins(Call& call) {
  auto rows = call.parts.store.logs().logins(call.address(), kListed);
  if (!rows) return unavailable(rows.error());
  json out = json::array();
  for (const auto& l : *rows)
    out.push_back({{"time", l.time},
                   {"protocol", l.protocol},
                   {"source", l.source},
                   {"client", l.client},
                   {"result", l.result}});
  return json_response(200, {{"logins", out}});
}

HttpResponse my_events(Call& call) {
  auto rows = call.parts.store.web().events_about(call.address(), kListed);
  if (!rows) return unavailable(rows.error());
  json out = json::array();
  for (const auto& e : *rows)
    out.push_back({{"seq", e.seq},
                   {"time", e.time},
                   {"actor", e.actor},
                   {"action", e.action},
                   {"details", details_of(e.details)}});
  return json_response(200, {{"events", out}});
}

HttpResponse change_password(Call& call) {
  auto password = string_field(call.body, "password", auth::kMaxPasswordBytes);
  if (!password) return bad_input(password.message());
  Secret secret(std::move(*password));
  if (auto ok = call.parts.accounts.parts().policy.check(secret, call.address()); !ok)
    return json_error(400, "weak_password", ok.message());
  if (auto r = call.parts.accounts.set_password(call.address(), secret, call.actor()); !r)
    return unavailable(r.error());
  // Signed out everywhere else; this session stays.
  store::WebStore& web = call.parts.store.web();
  const store::WebSession& s = *call.session;
  if (auto r = web.remove_sessions(s.tenant, s.account); !r) return unavailable(r.error());
  if (auto r = web.add_session(s); !r) return unavailable(r.error());
  call.parts.accounts.notify_password_change(
      call.address(), {call.request.source, std::string(call.request.header("user-agent"))}, false);
  return {204, {}, {}};
}

HttpResponse app_passwords(Call& call) {
  auto rows = call.parts.accounts.app_passwords(call.address());
  if (!rows) return unavailable(rows.error());
  json out = json::array();
  for (const auto& p : *rows) out.push_back(app_password_json(p));
  return json_response(200, {{"app_passwords", out}});
}

HttpResponse add_app_password(Call& call) {
  auto name = string_field(call.body, "name", 100);
  if (!name) return bad_input(name.message());
  auto scope = scope_from(call.body, call.parts.clock.unix_seconds());
  if (!scope) return bad_input(scope.message());
  auto made = call.parts.accounts.add_app_password(call.address(), *name, *scope, call.actor());
  if (!made) return unavailable(made.error());
  json out = app_password_json(made->stored);
  out["password"] = std::string(made->text.reveal());
  return json_response(201, out);
}

HttpResponse revoke_app_password(Call& call) {
  return revoke_live(call, call.parts.accounts.app_passwords(call.address()), "app password",
                     [&] {
                       return call.parts.accounts.revoke_app_password(call.address(), call.param,
                                                                      call.actor());
                     });
}

HttpResponse begin_totp(Call& call) {
  auto where = call.parts.accounts.existing(call.address());
  if (!where) return unavailable(where.error());
  if (where->account->two_factor())
    return json_error(409, "two_factor_on", "two-factor authentication is on already");
  auto e = call.parts.two_factor.begin(call.address());
  if (!e) return unavailable(e.error());
  call.session->totp_key = e->sealed.key;
  call.session->totp_pending = e->sealed.sealed;
  if (auto r = call.parts.sessions.save(*call.session); !r) return unavailable(r.error());
  auto at = e->uri.find("secret=") + 7;
  return json_response(200, {{"otpauth_uri", e->uri},
                             {"secret", e->uri.substr(at, e->uri.find('&', at) - at)},
                             {"qr_svg", e->qr_svg}});
}

HttpResponse confirm_totp(Call& call) {
  auto code = string_field(call.body, "code", 64);
  if (!code) return bad_input(code.message());
  store::WebSession& s = *call.session;
  if (s.totp_pending.empty())
    return json_error(409, "no_enrolment", "start the enrolment first");
  auto c = call.parts.two_factor.confirm(s.address, {s.totp_key, s.totp_pending}, *code,
                                         call.actor());
  if (!c) return unavailable(c.error());
  if (!c->ok) return json_error(400, "wrong_code", c->reason);
  s.totp_key.clear();
  s.totp_pending.clear();
  if (auto r = call.parts.sessions.save(s); !r) return unavailable(r.error());
  json codes = json::array();
  for (const Secret& code_text : c->recovery) codes.push_back(std::string(code_text.reveal()));
  return json_response(200, {{"recovery_codes", codes}});
}

HttpResponse disable_totp(Call& call) {
  auto where = call.parts.accounts.existing(call.address());
  if (!where) return unavailable(where.error());
  if (!where->account->two_factor())
    return json_error(409, "two_factor_off", "two-factor authentication is not on");
  if (auto r = call.parts.two_factor.disable(call.address(), call.actor()); !r)
    return unavailable(r.error());
  return {204, {}, {}};
}

HttpResponse api_keys(Call& call) {
  auto rows = call.parts.api_keys.list(call.address());
  if (!rows) return unavailable(rows.error());
  json out = json::array();
  for (const auto& k : *rows) out.push_back(api_key_json(k));
  return json_response(200, {{"api_keys", out}});
}

HttpResponse add_api_key(Call& call) {
  auto name = string_field(call.body, "name", 100);
  if (!name) return bad_input(name.message());
  auto grants_text = string_list(call.body, "grants", false);
  if (!grants_text) return bad_input(grants_text.message());
  auto grants = auth::parse_grants(*grants_text);
  if (!grants || grants->empty())
    return bad_input(grants ? "\"grants\" must not be empty" : grants.message());
  auto expires = integer_field(call.body, "expires");
  if (!expires) return bad_input(expires.message());
  if (*expires && **expires <= call.parts.clock.unix_seconds())
    return bad_input("\"expires\" must be in the future");
  auto where = call.parts.accounts.existing(call.address());
  if (!where) return unavailable(where.error());
  auto held = call.parts.api_keys.rights_of(*where);
  if (!held) return unavailable(held.error());
  if (auto sub = auth::check_subset(*grants, *held); !sub)
    return json_error(403, "forbidden", sub.message());
  auto made = call.parts.api_keys.create(call.address(), *name, *grants, *expires, call.actor());
  if (!made) return unavailable(made.error());
  json out = api_key_json(made->stored);
  out["key"] = std::string(made->text.reveal());
  return json_response(201, out);
}

HttpResponse revoke_api_key(Call& call) {
  return revoke_live(call, call.parts.api_keys.list(call.address()), "API key", [&] {
    return call.parts.api_keys.revoke(call.address(), call.param, call.actor());
  });
}

HttpResponse export_data(Call& call) {
  // Each export holds a worker while its client downloads it.
  static std::atomic<int> running{0};
  if (running.fetch_add(1) >= kExportsAtOnce) {
    --running;
    return json_error(503, "export_busy", "another export is being downloaded: try again soon");
  }
  std::int64_t now = call.parts.clock.unix_seconds();
  std::time_t t = now;
  std::tm tm{};
  char day[16];
  std::strftime(day, sizeof day, "%Y-%m-%d", gmtime_r(&t, &tm));
  HttpResponse r{
      200,
      {{"Content-Type", "application/x-tar"},
       {"Content-Disposition", fmt::format("attachment; filename=\"mail-export-{}.tar\"", day)}},
      {}};
  // Runs after this call has returned: it keeps the service, not the call.
  auto* accounts = &call.parts.accounts;
  struct Slot {  // given back when the stream is done with, run or not
    ~Slot() { --running; }
  };
  r.stream = [accounts, address = std::string(call.address()), actor = call.actor(), now,
              slot = std::make_shared<Slot>()](const HttpResponse::Put& put) -> Result<void> {
    auth::TarStream tar(put, now);
    auto report = auth::export_account(*accounts, address, mime::MailFile::mbox, tar, actor);
    if (!report) {
      log::warning("export cut short", {{"account", address}, {"error", report.message()}});
      return report.error();
    }
    return tar.finish();
  };
  return r;
}

}  // namespace appliance::webd::handlers
