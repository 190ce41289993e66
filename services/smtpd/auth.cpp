// NAME
//   auth.cpp - AUTH: the client's credentials checked by the account service.
#include "common/log.h"
#include "smtpd/answers.h"

namespace appliance::smtpd {

namespace {

smtp::Verdict try_later(std::string_view text) {
  return smtp::Verdict::refuse(smtp::make_reply(454, "4.7.0", text));
}

}  // namespace

smtp::Verdict authenticate(auth::LoginService& logins, const smtp::Credentials& credentials,
                           const LoginContext& context) {
  // Acting for another user (a PLAIN authzid) is not offered.
  if (!credentials.authzid.empty() && credentials.authzid != credentials.authcid)
    return smtp::Verdict::refuse();
  auto source = auth::parse_ip(context.address);
  if (!source) return try_later("Temporary authentication failure");
  auth::LoginAttempt attempt{credentials.authcid, credentials.password, auth::Protocol::smtp,
                             *source, context.helo};
  auto outcome = logins.login(attempt);
  if (!outcome) {
    log::warning("login service failed", {{"error", outcome.message()}});
    return try_later("Temporary authentication failure");
  }
  if (outcome->retry_after.count() > 0) return try_later("Too many attempts, try again later");
  if (!outcome->ok) return smtp::Verdict::refuse();  // the same answer for every reason
  return smtp::Verdict::accept(outcome->address);
}

}  // namespace appliance::smtpd
