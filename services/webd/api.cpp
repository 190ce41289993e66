// NAME
//   api.cpp - the router: match, authenticate, CSRF, access, body, handler.
#include "webd/api.h"

#include <openssl/crypto.h>

#include "common/log.h"
#include "webd/http.h"
#include "webd/json_body.h"

namespace appliance::webd {
namespace {

using nlohmann::json;

std::string path_of(const std::string& target) { return target.substr(0, target.find('?')); }

// Whether `path` fits `pattern`; the "{id}" segment's text goes to `param`.
bool matches(std::string_view pattern, std::string_view path, std::string& param) {
  auto open = pattern.find('{');
  if (open == std::string_view::npos) return pattern == path;
  auto close = pattern.find('}', open);
  std::string_view head = pattern.substr(0, open), tail = pattern.substr(close + 1);
  if (path.size() <= head.size() + tail.size() || !path.starts_with(head) || !path.ends_with(tail))
    return false;
  std::string_view middle = path.substr(head.size(), path.size() - head.size() - tail.size());
  if (middle.find('/') != std::string_view::npos) return false;
  param = std::string(middle);
  return true;
}

bool changes_state(const std::string& method) { return method != "GET" && method != "HEAD"; }

bool same_text(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// From this origin: Origin names it, or the browser says same-origin; one must be present.
bool same_origin(const HttpRequest& r) {
  std::string_view origin = r.header("origin"), site = r.header("sec-fetch-site");
  if (origin.empty() && site.empty()) return false;
  if (!origin.empty() && origin != "https://" + r.host) return false;
  return site.empty() || site == "same-origin";
}

HttpResponse refuse(int status, std::string_view code, std::string_view message) {
  return json_error(status, code, message);
}

// Who calls: an API key, a session, or nobody; a response when refused outright.
std::optional<HttpResponse> authenticate(Call& call, const Route& route) {
  std::string_view auth = call.request.header("authorization");
  if (!auth.empty()) {
    if (!auth.starts_with("Bearer "))
      return refuse(401, "unauthorized", "only Bearer API keys are accepted");
    auto source = auth::parse_ip(call.request.source);
    auto checked = call.parts.api_keys.authenticate(
        Secret(std::string(auth.substr(7))), source ? *source : auth::IpAddress{},
        std::string(call.request.header("user-agent")));
    if (!checked) return unavailable(checked.error());
    if (!checked->ok) return refuse(401, "unauthorized", "the API key is not valid");
    if (!route.bearer) return refuse(403, "api_key_not_allowed", "this needs a signed-in session");
    bool admin = route.access == Access::admin_read || route.access == Access::admin_change;
    bool user = std::any_of(checked->caller.grants.begin(), checked->caller.grants.end(),
                            [](const auth::Grant& g) { return auth::covers(g, {}); });
    if (!user && !admin)
      return refuse(403, "forbidden", "the API key does not carry the user grant");
    call.key = std::move(checked->caller);
    return std::nullopt;
  }
  auto found = call.parts.sessions.find(session_cookie(call.request.header("cookie")));
  if (!found) return unavailable(found.error());
  call.session = std::move(*found);
  return std::nullopt;
}

std::optional<HttpResponse> check_csrf(const Call& call) {
  if (call.key || !changes_state(call.request.method)) return std::nullopt;
  if (!same_origin(call.request))
    return refuse(403, "csrf", "cross-site request refused (Origin or Sec-Fetch-Site)");
  if (call.session && !same_text(call.request.header("x-csrf-token"), call.session->csrf))
    return refuse(403, "csrf", "the X-CSRF-Token header is missing or wrong");
  return std::nullopt;
}

std::optional<HttpResponse> check_access(const Call& call, Access access) {
  const auto& s = call.session;
  bool full = call.key || (s && s->full);
  switch (access) {
    case Access::anyone:
      return std::nullopt;
    case Access::any_session:
      if (s) return std::nullopt;
      break;
    case Access::partial:
      if (s && !s->full) return std::nullopt;
      if (full) return refuse(409, "already_signed_in", "the session is signed in already");
      break;
    case Access::signed_in:
      if (full) return std::nullopt;
      break;
    case Access::admin_read:
      if (full) return std::nullopt;
      break;
    case Access::admin_change:
      if (call.key) return std::nullopt;  // made in sudo mode; its grants are checked
      [[fallthrough]];
    case Access::sudo:
      if (s && call.parts.sessions.in_sudo(*s)) return std::nullopt;
      if (full)
        return refuse(403, "sudo_required", "confirm your password first (sudo mode)");
      break;
  }
  if (s) return refuse(401, "second_factor_required", "enter the code from your authenticator");
  return refuse(401, "not_signed_in", "sign in first");
}

std::optional<HttpResponse> read_body(Call& call) {
  std::string_view type = call.request.header("content-type");
  if (!type.starts_with("application/json"))
    return refuse(415, "unsupported_media_type", "the body must be application/json");
  auto body = parse_json_body(call.request.body);
  if (!body) return refuse(400, "bad_json", body.message());
  call.body = std::move(*body);
  return std::nullopt;
}

HttpResponse dispatch(const Route& route, Call& call) {
  if (auto r = authenticate(call, route)) return *r;
  if (auto r = check_csrf(call)) return *r;
  if (auto r = check_access(call, route.access)) return *r;
  if (route.body)
    if (auto r = read_body(call)) return *r;
  HttpResponse response = route.fn(call);
  for (auto& h : call.headers) response.headers.push_back(std::move(h));
  return response;
}

}  // namespace

HttpResponse json_response(int status, const json& body) {
  // Text from clients (a user agent in the login log) may not be UTF-8: replaced, never thrown.
  return {status,
          {{"Content-Type", "application/json"}},
          body.dump(-1, ' ', false, json::error_handler_t::replace) + "\n"};
}

HttpResponse bad_input(std::string_view message) { return json_error(400, "bad_request", message); }

HttpResponse unavailable(const Error& fault) {
  log::warning("web request failed", {{"reason", fault.message}});
  return json_error(503, "unavailable", "the service cannot answer now; try again later");
}

HttpResponse handle_api(const HttpRequest& request, WebParts& parts) {
  std::string path = path_of(request.target);
  bool known_path = false;
  for (const Route& route : routes()) {
    std::string param;
    if (!matches(route.path, path, param)) continue;
    known_path = true;
    if (route.method != request.method) continue;
    Call call{request, parts, {}, std::move(param), {}, {}, {}};
    return dispatch(route, call);
  }
  if (known_path) return json_error(405, "method_not_allowed", "method not allowed here");
  return json_error(404, "not_found", "no such API endpoint");
}

}  // namespace appliance::webd
