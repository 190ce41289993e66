// NAME
//   session.cpp - sign-in, the second factor, sudo mode and sign-out.
//
// SECURITY
//   An unknown address and a wrong password get the same answer (the login
//   service does the same work for both). Every sign-in gives a new session
//   id, and the second factor another one: an id planted before sign-in is
//   worthless after it.
#include <fmt/format.h>

#include "webd/handlers.h"
#include "webd/http.h"
#include "webd/json_body.h"

namespace appliance::webd::handlers {
namespace {

using nlohmann::json;

auth::IpAddress source_of(const Call& call) {
  auto ip = auth::parse_ip(call.request.source);
  return ip ? *ip : auth::IpAddress{};
}

std::string agent_of(const Call& call) { return std::string(call.request.header("user-agent")); }

HttpResponse throttled(std::chrono::seconds retry_after) {
  auto r = json_error(429, "throttled", "too many failed attempts; try again later");
  r.headers.emplace_back("Retry-After", std::to_string(retry_after.count()));
  return r;
}

json describe(const store::WebSession& s, const Sessions& sessions) {
  return {{"address", s.address},
          {"signed_in", s.full},
          {"second_factor_due", !s.full},
          {"sudo", sessions.in_sudo(s)},
          {"sudo_until", sessions.in_sudo(s) ? s.sudo_until : 0},
          {"csrf_token", s.csrf}};
}

HttpResponse opened(Call& call, const OpenedSession& s) {
  call.headers.emplace_back("Set-Cookie", set_session_cookie(s.id));
  return json_response(200, describe(s.row, call.parts.sessions));
}

// The code of the second factor, checked through the throttle; a response when refused.
std::optional<HttpResponse> check_code(Call& call, const std::string& address,
                                       const std::string& code) {
  auto out = call.parts.two_factor.verify({address, Secret(code), source_of(call), agent_of(call)});
  if (!out) return unavailable(out.error());
  if (out->retry_after.count() > 0) return throttled(out->retry_after);
  if (!out->ok) return json_error(401, "wrong_code", "the code is not valid");
  return std::nullopt;
}

// The password of the signed-in account again; a response when refused.
std::optional<HttpResponse> check_password(Call& call, const std::string& password) {
  const std::string& address = call.session->address;
  auto login = call.parts.logins.login(
      {address, Secret(password), auth::Protocol::web, source_of(call), agent_of(call)});
  if (!login) return unavailable(login.error());
  if (login->retry_after.count() > 0) return throttled(login->retry_after);
  if (!login->ok || login->address != address)
    return json_error(401, "wrong_password", "the password is not right");
  return std::nullopt;
}

}  // namespace

HttpResponse sign_in(Call& call) {
  auto address = string_field(call.body, "address", 320);
  if (!address) return bad_input(address.message());
  auto password = string_field(call.body, "password", auth::kMaxPasswordBytes);
  if (!password) return bad_input(password.message());
  auto login = call.parts.logins.login(
      {*address, Secret(std::move(*password)), auth::Protocol::web, source_of(call),
       agent_of(call)});
  if (!login) return unavailable(login.error());
  if (login->retry_after.count() > 0) return throttled(login->retry_after);
  if (!login->ok) return json_error(401, "sign_in_failed", "wrong address or password");
  if (call.session)
    if (auto r = call.parts.sessions.close(*call.session); !r) return unavailable(r.error());
  auto s = call.parts.sessions.open(*login, call.request.source, agent_of(call));
  if (!s) return unavailable(s.error());
  return opened(call, *s);
}

HttpResponse session_info(Call& call) {
  if (!call.session) return json_response(200, {{"signed_in", false}, {"second_factor_due", false}});
  return json_response(200, describe(*call.session, call.parts.sessions));
}

HttpResponse sign_out(Call& call) {
  if (auto r = call.parts.sessions.close(*call.session); !r) return unavailable(r.error());
  call.headers.emplace_back("Set-Cookie", clear_session_cookie());
  return {204, {}, {}};
}

HttpResponse second_factor(Call& call) {
  auto code = string_field(call.body, "code", 64);
  if (!code) return bad_input(code.message());
  if (auto refused = check_code(call, call.session->address, *code)) return *refused;
  auto s = call.parts.sessions.renew(*call.session);
  if (!s) return unavailable(s.error());
  return opened(call, *s);
}

HttpResponse sudo(Call& call) {
  auto password = string_field(call.body, "password", auth::kMaxPasswordBytes);
  if (!password) return bad_input(password.message());
  auto code = string_field(call.body, "code", 64, true);
  if (!code) return bad_input(code.message());
  if (auto refused = check_password(call, *password)) return *refused;
  auto where = call.parts.accounts.existing(call.session->address);
  if (!where) return unavailable(where.error());
  if (where->account->two_factor()) {
    if (code->empty()) return json_error(401, "code_required", "enter the code as well");
    if (auto refused = check_code(call, call.session->address, *code)) return *refused;
  }
  call.parts.sessions.start_sudo(*call.session);
  if (auto r = call.parts.sessions.save(*call.session); !r) return unavailable(r.error());
  return json_response(200, describe(*call.session, call.parts.sessions));
}

}  // namespace appliance::webd::handlers
