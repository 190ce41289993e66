// NAME
//   api.h - the REST API under /api/v1: one table of routes, the router that
//   authenticates, checks CSRF and access, and reads the JSON body.
//
// DESCRIPTION
//   routes() is the only list of endpoints: the router serves it and
//   openapi.cpp describes it, so the OpenAPI document cannot miss one.
//   A route names its method, path (a "{id}" segment matches one path
//   segment), who may call it (Access), whether an API key may, whether it
//   reads a JSON body, and its handler. handle_api() is a pure function of
//   the request and WebParts: no sockets, as the tests call it.
//
//   Callers: a browser with the session cookie, or a program with
//   `Authorization: Bearer ak_...` (an API key; no cookie, no CSRF token).
//
// SECURITY
//   Every request from a browser that changes state (any method but GET and
//   HEAD) must come from this origin (Origin, or Sec-Fetch-Site:
//   same-origin) and, once signed in, carry the session's CSRF token in
//   X-CSRF-Token; otherwise 403. Bodies are application/json, parsed with
//   limits (json_body.h). Errors are {"error":{"code","message"}} with a
//   4xx status for anything a client sends; a store or keyd fault is 503.
//   An API key never opens sudo mode and works only on routes that say so.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/api_keys.h"
#include "auth/email_confirm.h"
#include "auth/two_factor.h"
#include "common/result.h"
#include "webd/autoconfig.h"
#include "webd/sessions.h"

namespace appliance::keyd {
class KeydClient;
}

namespace appliance::webd {

struct Operations;  // operations.h

struct WebParts {
  store::Store& store;
  auth::AccountService& accounts;
  auth::LoginService& logins;
  auth::TwoFactor& two_factor;
  auth::ApiKeys& api_keys;
  auth::EmailConfirmations& confirmations;
  Sessions& sessions;
  const auth::Clock& clock;
  keyd::KeydClient* keyd = nullptr;  // /api/v1/admin/keys; null: answered 503
  const Operations* ops = nullptr;  // the dashboard's and /metrics' sources; none: 503
};

enum class Access {
  anyone,
  any_session,  // signed in, or with the second factor still due
  partial,      // the second factor is due
  signed_in,    // a full session or an API key
  sudo,         // a full session in sudo mode
  // Administration (admin.cpp checks the caller's role): a full session or
  // an API key with any grant; to change, a session must be in sudo mode.
  admin_read,
  admin_change,
};

struct Call {
  const HttpRequest& request;
  WebParts& parts;
  nlohmann::json body;
  std::string param;  // the "{id}" segment
  std::optional<store::WebSession> session;
  std::optional<auth::ApiCaller> key;
  std::vector<std::pair<std::string, std::string>> headers;  // added to the response

  const std::string& address() const { return session ? session->address : key->address; }
  std::string actor() const { return key ? "api:" + key->key : address(); }
};

using RouteFn = HttpResponse (*)(Call&);

struct Route {
  std::string_view method;
  std::string_view path;
  Access access;
  bool bearer;  // an API key may call it
  bool body;    // reads a JSON body
  std::string_view summary;
  RouteFn fn;
};

std::span<const Route> routes();
HttpResponse handle_api(const HttpRequest& request, WebParts& parts);
nlohmann::json openapi_document();

// Answers for handlers.
HttpResponse json_response(int status, const nlohmann::json& body);
HttpResponse bad_input(std::string_view message);  // 400 bad_request
// 503 for a fault of the store or keyd; the fault is logged, not sent.
HttpResponse unavailable(const Error& fault);

}  // namespace appliance::webd
