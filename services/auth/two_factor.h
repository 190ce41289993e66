// NAME
//   two_factor.h - TOTP enrolment, the second step of a web sign-in, and
//   turning two-factor authentication off.
//
// DESCRIPTION
//   begin() makes a new seed and returns it sealed under `seal/totp` (bound
//   to the account), with the otpauth:// URI and its QR code; nothing is
//   stored yet: the caller keeps the sealed seed (webd: in the session) until
//   confirm() receives the first code the authenticator shows. Only then is
//   two-factor on: the seed is stored, the step used is remembered, and ten
//   recovery codes are made and returned, to be shown once.
//
//   verify() is the second step of a web sign-in: a TOTP code (digits) or a
//   recovery code (letters and digits, "abcde-23456"). It goes through the
//   throttle like a password, and every attempt is written to the login log
//   (protocol web). A TOTP code is accepted once: the step it matched must
//   be after the last one used.
//
// SECURITY
//   The seed is in clear only inside these calls, as a Secret. A wrong code
//   counts as a failure for the account and the source: six digits resist
//   guessing only while guesses are throttled. Enabling and disabling are
//   security events.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "auth/account_service.h"
#include "auth/cidr.h"
#include "auth/throttle.h"

namespace appliance::auth {

struct Enrolment {
  Sealed sealed;  // keep until confirm()
  std::string uri;
  std::string qr_svg;
};

struct Confirmed {
  bool ok = false;
  std::string reason;             // why not, for the user
  std::vector<Secret> recovery;  // shown once
};

struct SecondFactor {
  std::string address;  // lower case
  Secret code;          // TOTP or recovery code, as typed
  IpAddress source;
  std::string client;  // user agent
};

struct FactorOutcome {
  bool ok = false;
  std::chrono::seconds retry_after{0};  // > 0: refused by the throttle
  std::string reason;                   // for the log only
};

class TwoFactor {
 public:
  TwoFactor(AccountService& accounts, Throttle& throttle, std::string issuer)
      : accounts_(accounts), throttle_(throttle), issuer_(std::move(issuer)) {}

  Result<Enrolment> begin(std::string_view address);
  Result<Confirmed> confirm(std::string_view address, const Sealed& pending,
                            std::string_view code, std::string_view actor);
  Result<FactorOutcome> verify(const SecondFactor& attempt);
  Result<void> disable(std::string_view address, std::string_view actor);

 private:
  Result<FactorOutcome> check(const Located& where, const SecondFactor& attempt);
  Result<FactorOutcome> check_recovery(const Located& where, const SecondFactor& attempt);
  Result<void> log(const SecondFactor& attempt, const Located* where, std::string_view result,
                   const std::string& reason);

  AccountService& accounts_;
  Throttle& throttle_;
  std::string issuer_;
};

}  // namespace appliance::auth
