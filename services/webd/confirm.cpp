// NAME
//   confirm.cpp - confirmations by mail: the contact address, and the
//   password reset ("Forgot password").
//
// SECURITY
//   POST /password-reset answers the same (202 and the same body) for every
//   address, after the same keyd work (auth/email_confirm.h): nobody learns
//   which accounts exist or have a contact address. Both reset routes are
//   open to anyone, origin-checked like the sign-in; a wrong code counts as
//   a failed sign-in. A new contact address needs sudo mode, and takes
//   effect only with the code mailed to it.
#include <fmt/format.h>

#include "webd/handlers.h"
#include "webd/http.h"
#include "webd/json_body.h"

namespace appliance::webd::handlers {
namespace {

using nlohmann::json;

auth::Requester requester(const Call& call) {
  auto ip = auth::parse_ip(call.request.source);
  return {ip ? *ip : auth::IpAddress{}, std::string(call.request.header("user-agent"))};
}

HttpResponse too_many(std::chrono::seconds retry_after) {
  auto r = json_error(429, "throttled", "too many attempts; try again later");
  r.headers.emplace_back("Retry-After", std::to_string(retry_after.count()));
  return r;
}

HttpResponse answer(const Result<auth::Confirmation>& c) {
  if (!c) return unavailable(c.error());
  using enum auth::Refusal;
  switch (c->refusal) {
    case none:
      return {204, {}, {}};
    case throttled:
      return too_many(c->retry_after);
    case no_request:
      return json_error(409, "no_request", c->message);
    case wrong_code:
      return json_error(400, "wrong_token", c->message);
    case used:
      return json_error(400, "token_used", c->message);
    case expired:
      return json_error(400, "token_expired", c->message);
    case factor_due:
      return json_error(401, "code_required", c->message);
    case wrong_factor:
      return json_error(401, "wrong_code", c->message);
    case weak_password:
      return json_error(400, "weak_password", c->message);
  }
  return json_error(400, "bad_request", c->message);
}

}  // namespace

HttpResponse request_contact(Call& call) {
  auto address = string_field(call.body, "address", 320);
  if (!address) return bad_input(address.message());
  auto contact = call.parts.accounts.check_contact_email(*address);
  if (!contact) return json_error(400, "bad_address", contact.message());
  auto sent = call.parts.confirmations.request_contact(call.address(), *contact, requester(call),
                                                       call.actor());
  if (!sent) return unavailable(sent.error());
  if (sent->retry_after.count() > 0) return too_many(sent->retry_after);
  return json_response(202, {{"address", *contact},
                             {"expires", sent->expires},
                             {"message", fmt::format("a code is on its way to {}; it works once, "
                                                     "for 30 minutes",
                                                     *contact)}});
}

HttpResponse confirm_contact(Call& call) {
  auto token = string_field(call.body, "token", 64);
  if (!token) return bad_input(token.message());
  return answer(call.parts.confirmations.confirm_contact(call.address(), Secret(std::move(*token)),
                                                         requester(call), call.actor()));
}

HttpResponse request_reset(Call& call) {
  auto address = string_field(call.body, "address", 320);
  if (!address) return bad_input(address.message());
  auto sent = call.parts.confirmations.request_reset(*address, requester(call));
  if (!sent) return unavailable(sent.error());
  if (sent->retry_after.count() > 0) return too_many(sent->retry_after);
  return json_response(
      202, {{"message",
             "if this address has an account with a confirmed contact address, a code is on its "
             "way there; it works once, for 30 minutes"}});
}

HttpResponse confirm_reset(Call& call) {
  auto address = string_field(call.body, "address", 320);
  if (!address) return bad_input(address.message());
  auto token = string_field(call.body, "token", 64);
  if (!token) return bad_input(token.message());
  auto password = string_field(call.body, "password", auth::kMaxPasswordBytes);
  if (!password) return bad_input(password.message());
  auto code = string_field(call.body, "code", 64, true);
  if (!code) return bad_input(code.message());
  auth::ResetAttempt attempt{*address, Secret(std::move(*token)), Secret(std::move(*password)),
                             std::move(*code), requester(call)};
  return answer(call.parts.confirmations.confirm_reset(attempt));
}

}  // namespace appliance::webd::handlers
