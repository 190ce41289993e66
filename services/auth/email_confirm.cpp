// NAME
//   email_confirm.cpp - codes mailed, checked once, and what they confirm.
#include "auth/email_confirm.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "auth/account_mail.h"
#include "auth/notice.h"

namespace appliance::auth {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxUser = 256;

Origin origin_of(const Requester& from) {
  return {to_string(from.source), from.client};
}

Confirmation throttled(std::chrono::seconds retry_after) {
  return {Refusal::throttled, retry_after, "too many attempts; try again later"};
}

}  // namespace

ThrottleRules mail_request_rules() {
  ThrottleRules rules;
  rules.free_failures = 3;
  rules.base_delay = std::chrono::seconds(60);
  rules.max_delay = std::chrono::seconds(3600);
  rules.lock_threshold = 1e12;  // never locks an account: it only slows the mail down
  rules.half_life = std::chrono::seconds(3600);
  return rules;
}

struct EmailConfirmations::Checked {
  Refusal refusal = Refusal::none;
  std::string message;
};

// Without a row, the code is checked against a stand-in: the same keyd work, never a match.
Result<EmailConfirmations::Checked> EmailConfirmations::check_code(
    const std::string& account, EmailPurpose purpose, const Secret& token,
    const std::string& bound_to, const std::optional<store::EmailToken>& row) {
  auto code = parse_email_token(token);
  if (!code) return Checked{Refusal::wrong_code, code.message()};
  std::string key = row ? row->key : std::string(kApiPepper);
  std::string mac = row ? row->mac : std::string(32, '\0');
  auto same =
      verify_email_token(accounts_.parts().keys, purpose, account, bound_to, *code, key, mac);
  if (!same) return same.error();
  if (!row || !*same)
    return Checked{Refusal::wrong_code, "the code is not right, or was not asked for here"};
  if (row->used) return Checked{Refusal::used, "this code was used already; ask for a new one"};
  if (row->expires <= accounts_.parts().clock.unix_seconds())
    return Checked{Refusal::expired, "this code has expired (after 30 minutes); ask for a new one"};
  return Checked{};
}

Confirmation EmailConfirmations::refuse_code(const std::string& user, const Requester& from,
                                             const Checked& checked) {
  if (checked.refusal == Refusal::wrong_code) (void)sign_ins_.failure(user, from.source);
  return {checked.refusal, {}, checked.message};
}

Result<MailRequest> EmailConfirmations::request_contact(std::string_view address,
                                                        const std::string& contact,
                                                        const Requester& from,
                                                        std::string_view actor) {
  std::string counted = "contact:" + lower(address);
  if (auto gate = requests_.check(counted, from.source); !gate.allowed)
    return MailRequest{gate.retry_after};
  (void)requests_.failure(counted, from.source);
  auto l = accounts_.existing(address);
  if (!l) return l.error();
  const std::string& a = l->account->address;
  std::int64_t now = accounts_.parts().clock.unix_seconds();
  std::int64_t expires = now + kEmailTokenLifetime.count();
  auto token = make_email_token(accounts_.parts().keys, EmailPurpose::contact, a, contact);
  if (!token) return token.error();
  if (auto r = l->tenant->put_email_token(
          {l->account->id, "contact", contact, token->mac.key, token->mac.mac, expires});
      !r)
    return r.error();
  std::string mail = email_code_mail(EmailPurpose::contact, a, contact, token->text, now, expires,
                                     message_id("confirm", *l, now));
  if (auto r = to_outside(*l, contact, mail, now, accounts_.parts().dkim); !r) return r.error();
  auto e = accounts_.events().record(std::string(actor), "email.change_request", a,
                                     json{{"address", contact}}.dump());
  if (!e) return e.error();
  return MailRequest{{}, expires};
}

Result<Confirmation> EmailConfirmations::confirm_contact(std::string_view address,
                                                         const Secret& token, const Requester& from,
                                                         std::string_view actor) {
  std::string user = lower(address);
  if (auto gate = sign_ins_.check(user, from.source); !gate.allowed)
    return throttled(gate.retry_after);
  auto l = accounts_.existing(address);
  if (!l) return l.error();
  auto row = l->tenant->email_token(l->account->id, "contact");
  if (!row) return row.error();
  if (!*row)
    return Confirmation{
        Refusal::no_request, {}, "no new contact address is waiting: set one first"};
  auto checked =
      check_code(l->account->address, EmailPurpose::contact, token, (*row)->address, *row);
  if (!checked) return checked.error();
  if (checked->refusal != Refusal::none) return refuse_code(user, from, *checked);
  auto used = l->tenant->use_email_token(l->account->id, "contact", (*row)->mac);
  if (!used) return used.error();
  if (!*used)
    return Confirmation{Refusal::used, {}, "this code was used already; ask for a new one"};
  if (auto r = accounts_.set_contact_email(address, (*row)->address, actor, origin_of(from)); !r)
    return r.error();
  return Confirmation{};
}

Result<MailRequest> EmailConfirmations::request_reset(std::string_view address,
                                                      const Requester& from) {
  std::string user = lower(address.substr(0, kMaxUser));
  if (auto gate = requests_.check(user, from.source); !gate.allowed)
    return MailRequest{gate.retry_after};
  (void)requests_.failure(user, from.source);
  auto found = accounts_.find(user);
  if (!found) return found.error();
  const Located* where = *found && (*found)->account ? &**found : nullptr;
  const store::AccountSecurity* account = where ? &*where->account : nullptr;
  bool sends =
      account && account->state == store::AccountState::active && !account->contact_email.empty();
  std::string contact = sends ? account->contact_email : "";
  // One HMAC in keyd whether or not a mail goes out.
  auto token = make_email_token(accounts_.parts().keys, EmailPurpose::reset, user, contact);
  if (!token) return token.error();
  if (!account) return MailRequest{};
  std::int64_t now = accounts_.parts().clock.unix_seconds();
  if (sends) {
    std::int64_t expires = now + kEmailTokenLifetime.count();
    if (auto r = where->tenant->put_email_token(
            {account->id, "reset", contact, token->mac.key, token->mac.mac, expires});
        !r)
      return r.error();
    std::string mail = email_code_mail(EmailPurpose::reset, user, contact, token->text, now,
                                       expires, message_id("reset", *where, now));
    if (auto r = to_outside(*where, contact, mail, now, accounts_.parts().dkim); !r)
      return r.error();
  }
  json details = {{"source", to_string(from.source)}, {"sent", sends}};
  auto e = accounts_.events().record(user, "password.reset_request", user,
                                     details.dump(-1, ' ', false, json::error_handler_t::replace));
  if (!e) return e.error();
  return MailRequest{};
}

Result<Confirmation> EmailConfirmations::confirm_reset(const ResetAttempt& attempt) {
  const Requester& from = attempt.from;
  std::string user = lower(std::string_view(attempt.address).substr(0, kMaxUser));
  if (auto gate = sign_ins_.check(user, from.source); !gate.allowed)
    return throttled(gate.retry_after);
  auto found = accounts_.find(user);
  if (!found) return found.error();
  const Located* where = *found && (*found)->account ? &**found : nullptr;
  if (where && (where->account->state != store::AccountState::active ||
                where->account->contact_email.empty()))
    where = nullptr;
  std::optional<store::EmailToken> row;
  if (where) {
    auto r = where->tenant->email_token(where->account->id, "reset");
    if (!r) return r.error();
    row = std::move(*r);
  }
  std::string contact = where ? where->account->contact_email : "";
  auto checked = check_code(user, EmailPurpose::reset, attempt.token, contact, row);
  if (!checked) return checked.error();
  if (checked->refusal != Refusal::none) return refuse_code(user, from, *checked);

  const store::AccountSecurity& account = *where->account;
  if (auto ok = accounts_.parts().policy.check(attempt.password, user); !ok)
    return Confirmation{Refusal::weak_password, {}, ok.message()};
  if (account.two_factor()) {
    if (attempt.factor.empty())
      return Confirmation{Refusal::factor_due,
                          {},
                          "two-factor authentication is on: enter a code from your "
                          "authenticator app, or a recovery code, as well"};
    auto f = two_factor_.verify({user, Secret(attempt.factor), from.source, from.client});
    if (!f) return f.error();
    if (f->retry_after.count() > 0) return throttled(f->retry_after);
    if (!f->ok)
      return Confirmation{
          Refusal::wrong_factor, {}, "the authenticator or recovery code is not right"};
  }
  auto used = where->tenant->use_email_token(account.id, "reset", row->mac);
  if (!used) return used.error();
  if (!*used)
    return Confirmation{Refusal::used, {}, "this code was used already; ask for a new one"};
  if (auto r = accounts_.set_password(user, attempt.password, user, "password.reset"); !r)
    return r.error();
  auto ended = accounts_.parts().store.web().remove_sessions(where->domain.tenant, account.id);
  if (!ended) return ended.error();
  sign_ins_.success(user, from.source);
  accounts_.notify_password_change(user, origin_of(from), true);
  return Confirmation{};
}

}  // namespace appliance::auth
