// NAME
//   email_confirm.h - confirmations by mail: a new contact address, and a
//   password reset through the confirmed one.
//
// DESCRIPTION
//   request_contact() sends a code (email_tokens.h) to a new contact
//   address; confirm_contact() with that code makes it the account's
//   (AccountService::set_contact_email). request_reset() sends a code to the
//   account's contact address; confirm_reset() with that code, a new
//   password and, with two-factor on, a TOTP or recovery code, sets the
//   password, ends every web session of the account and sends the notices.
//   A code lives 30 minutes and works once; a new request replaces the
//   previous code of its purpose. Mail to a contact address goes through
//   the outbound queue (account_mail.h).
//
//   Security events: email.change_request, email.change,
//   password.reset_request, password.reset.
//
// SECURITY
//   request_reset() does the same keyd work (one HMAC) and gives the same
//   outcome whether or not the address is an account, is active, or has a
//   contact address: nobody learns from it which accounts exist. Every
//   request counts in a throttle of its own (per address as given and per
//   source: after 3, each further one waits a doubling delay), so the
//   appliance cannot be made to mail someone many times. A wrong code counts
//   as a failed sign-in in the sign-in throttle; only a code that matches
//   learns that it was used or expired.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "auth/account_service.h"
#include "auth/cidr.h"
#include "auth/email_tokens.h"
#include "auth/throttle.h"
#include "auth/two_factor.h"

namespace appliance::auth {

struct Requester {
  IpAddress source;
  std::string client;  // user agent
};

enum class Refusal {
  none,
  throttled,      // retry_after says when
  no_request,     // no code was asked for (contact)
  wrong_code,     // the mailed code does not match
  used,           // it matched, but was used already
  expired,        // it matched, but its 30 minutes are over
  factor_due,     // two-factor is on: a TOTP or recovery code is needed too
  wrong_factor,   // that code is wrong
  weak_password,  // the policy refused the new password (message says why)
};

struct Confirmation {
  Refusal refusal = Refusal::none;
  std::chrono::seconds retry_after{0};
  std::string message;  // for the user
};

struct MailRequest {
  std::chrono::seconds retry_after{0};  // > 0: throttled, nothing sent
  std::int64_t expires = 0;             // of the code sent (contact only)
};

struct ResetAttempt {
  std::string address;  // as typed
  Secret token;
  Secret password;
  std::string factor;  // TOTP or recovery code; empty when not given
  Requester from;
};

// The throttle of mail requests: 3 free, then a delay from a minute up to an hour.
ThrottleRules mail_request_rules();

class EmailConfirmations {
 public:
  // `sign_ins`: the throttle of sign-ins (wrong codes count there).
  EmailConfirmations(AccountService& accounts, Throttle& sign_ins, TwoFactor& two_factor)
      : accounts_(accounts),
        sign_ins_(sign_ins),
        two_factor_(two_factor),
        requests_(accounts.parts().clock, mail_request_rules()) {}

  // `contact` must have passed AccountService::check_contact_email().
  Result<MailRequest> request_contact(std::string_view address, const std::string& contact,
                                      const Requester& from, std::string_view actor);
  Result<Confirmation> confirm_contact(std::string_view address, const Secret& token,
                                       const Requester& from, std::string_view actor);
  Result<MailRequest> request_reset(std::string_view address, const Requester& from);
  Result<Confirmation> confirm_reset(const ResetAttempt& attempt);

 private:
  struct Checked;
  Result<Checked> check_code(const std::string& account, EmailPurpose purpose, const Secret& token,
                             const std::string& bound_to,
                             const std::optional<store::EmailToken>& row);
  Confirmation refuse_code(const std::string& user, const Requester& from, const Checked& checked);

  AccountService& accounts_;
  Throttle& sign_ins_;
  TwoFactor& two_factor_;
  Throttle requests_;
};

}  // namespace appliance::auth
