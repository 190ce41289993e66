// NAME
//   two_factor.cpp - TOTP enrolment and confirmation, the second sign-in
//   step with a TOTP or recovery code, and two-factor turned off.
#include "auth/two_factor.h"

#include <fmt/format.h>

#include <algorithm>

#include "auth/recovery.h"
#include "auth/totp.h"

namespace appliance::auth {
namespace {

constexpr std::size_t kMaxClient = 200;

bool looks_like_totp(std::string_view code) {
  return std::all_of(code.begin(), code.end(), [](char c) { return (c >= '0' && c <= '9') || c == ' '; });
}

std::vector<StoredRecoveryCode> stored_codes(const std::vector<store::RecoveryCode>& rows) {
  std::vector<StoredRecoveryCode> out;
  for (const auto& r : rows) out.push_back({r.key, r.mac, r.used});
  return out;
}

}  // namespace

Result<Enrolment> TwoFactor::begin(std::string_view address) {
  auto where = accounts_.existing(address);
  if (!where) return where.error();
  const std::string& a = where->account->address;
  Secret seed = new_totp_secret();
  auto sealed = seal_totp_secret(accounts_.parts().keys, seed, a);
  if (!sealed) return sealed.error();
  std::string uri = totp_uri(seed, issuer_, a);
  auto svg = qr_svg(uri);
  if (!svg) return svg.error();
  return Enrolment{std::move(*sealed), std::move(uri), std::move(*svg)};
}

Result<Confirmed> TwoFactor::confirm(std::string_view address, const Sealed& pending,
                                     std::string_view code, std::string_view actor) {
  auto where = accounts_.existing(address);
  if (!where) return where.error();
  const store::AccountSecurity& account = *where->account;
  if (account.two_factor()) return Confirmed{false, "two-factor authentication is already on"};
  SecretKeys& keys = accounts_.parts().keys;
  auto seed = unseal_totp_secret(keys, pending, account.address);
  if (!seed) return Confirmed{false, "no enrolment is pending; start again"};
  auto step = totp_verify(*seed, code, accounts_.parts().clock.unix_seconds(), std::nullopt);
  if (!step) return Confirmed{false, step.message()};
  auto codes = generate_recovery_codes(keys, account.address);
  if (!codes) return codes.error();
  std::vector<store::RecoveryCode> rows;
  for (std::size_t i = 0; i < codes->stored.size(); ++i)
    rows.push_back({static_cast<int>(i), codes->stored[i].key, codes->stored[i].mac, false});
  store::TenantStore& tenant = *where->tenant;
  if (auto r = tenant.set_totp(account.id, pending.key, pending.sealed); !r) return r.error();
  if (auto r = tenant.advance_totp_step(account.id, *step); !r) return r.error();
  if (auto r = tenant.set_recovery_codes(account.id, rows); !r) return r.error();
  auto e = accounts_.events().record(std::string(actor), "totp.enable", account.address);
  if (!e) return e.error();
  return Confirmed{true, "", std::move(codes->shown)};
}

Result<void> TwoFactor::disable(std::string_view address, std::string_view actor) {
  auto where = accounts_.existing(address);
  if (!where) return where.error();
  const store::AccountSecurity& account = *where->account;
  if (!account.two_factor()) return make_error("two-factor authentication is not on");
  if (auto r = where->tenant->set_totp(account.id, "", ""); !r) return r;
  auto e = accounts_.events().record(std::string(actor), "totp.disable", account.address);
  if (!e) return e.error();
  return {};
}

Result<FactorOutcome> TwoFactor::verify(const SecondFactor& attempt) {
  const std::string user = lower(attempt.address);
  auto gate = throttle_.check(user, attempt.source);
  if (!gate.allowed) {
    if (auto r = log(attempt, nullptr, "throttled", gate.reason); !r) return r.error();
    return FactorOutcome{false, gate.retry_after, gate.reason};
  }
  auto where = accounts_.existing(user);
  if (!where) return where.error();
  auto out = where->account->two_factor()
                 ? check(*where, attempt)
                 : Result<FactorOutcome>(FactorOutcome{false, {}, "two-factor authentication is off"});
  if (!out) return out;
  if (out->ok) {
    throttle_.success(user, attempt.source);
  } else if (throttle_.failure(user, attempt.source)) {
    (void)accounts_.events().record("auth", "login.throttle_lock", user);
  }
  if (auto r = log(attempt, &*where, out->ok ? "ok" : "failed", out->reason); !r) return r.error();
  return out;
}

Result<FactorOutcome> TwoFactor::check(const Located& where, const SecondFactor& attempt) {
  if (!looks_like_totp(attempt.code.reveal())) return check_recovery(where, attempt);
  const store::AccountSecurity& account = *where.account;
  auto seed = unseal_totp_secret(accounts_.parts().keys, {account.totp_key, account.totp_seed},
                                 account.address);
  if (!seed) return seed.error();
  auto step = totp_verify(*seed, attempt.code.reveal(), accounts_.parts().clock.unix_seconds(),
                          account.totp_step);
  if (!step) return FactorOutcome{false, {}, "TOTP: " + step.message()};
  auto advanced = where.tenant->advance_totp_step(account.id, *step);
  if (!advanced) return advanced.error();
  if (!*advanced) return FactorOutcome{false, {}, "TOTP: this code was already used"};
  return FactorOutcome{true, {}, "TOTP code"};
}

Result<FactorOutcome> TwoFactor::check_recovery(const Located& where,
                                                const SecondFactor& attempt) {
  const store::AccountSecurity& account = *where.account;
  auto rows = where.tenant->recovery_codes(account.id);
  if (!rows) return rows.error();
  auto codes = stored_codes(*rows);
  auto index = consume_recovery_code(accounts_.parts().keys, account.address, attempt.code, codes);
  if (!index) return FactorOutcome{false, {}, "recovery code: " + index.message()};
  auto used = where.tenant->use_recovery_code(account.id, (*rows)[*index].slot);
  if (!used) return used.error();
  if (!*used) return FactorOutcome{false, {}, "recovery code: already used"};
  (void)accounts_.events().record(account.address, "recovery_code.use", account.address);
  return FactorOutcome{true, {}, "recovery code"};
}

Result<void> TwoFactor::log(const SecondFactor& attempt, const Located* where,
                            std::string_view result, const std::string& reason) {
  store::LoginRecord record{0,
                            accounts_.parts().clock.unix_seconds(),
                            where ? where->domain.tenant : 0,
                            lower(attempt.address),
                            "web",
                            to_string(attempt.source),
                            attempt.client.substr(0, kMaxClient),
                            std::string(result),
                            "second factor: " + reason};
  return accounts_.parts().store.logs().log_login(record);
}

}  // namespace appliance::auth
