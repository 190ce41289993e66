// NAME
//   account_service.cpp - passwords, app passwords, state, aliases and
//   catch-alls changed, each with its security event.
#include "auth/account_service.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "auth/account_mail.h"
#include "auth/notice.h"
#include "common/log.h"
#include "proto/smtp/address.h"

namespace appliance::auth {
namespace {

using nlohmann::json;

Result<std::string> domain_of(const std::string& address) {
  auto at = address.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 == address.size())
    return make_error(fmt::format("\"{}\" is not a mail address", address));
  return address.substr(at + 1);
}

std::string networks_text(const std::vector<Cidr>& networks) {
  std::string out;
  for (const Cidr& n : networks) out += (out.empty() ? "" : ",") + to_string(n);
  return out;
}

}  // namespace

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

AccountService::AccountService(const AccountParts& parts)
    : parts_(parts), hasher_(parts.keys, parts.argon2), events_(parts.store.logs(), parts.clock) {}

// The store answers "no domain" as an error; a fault there shows again when
// the login is logged, which then fails the login as a fault.
Result<std::optional<Located>> AccountService::find(std::string_view address) {
  std::string a = lower(address);
  auto domain = domain_of(a);
  if (!domain) return std::optional<Located>();
  auto d = parts_.store.find_domain(*domain);
  if (!d) return std::optional<Located>();
  auto tenant = parts_.store.tenant(d->tenant);
  if (!tenant) return tenant.error();
  auto account = (*tenant)->security(a);
  if (!account) return account.error();
  return std::optional<Located>(Located{*d, *tenant, *account});
}

Result<Located> AccountService::locate(std::string_view address) {
  auto found = find(address);
  if (!found) return found.error();
  if (*found) return std::move(**found);
  auto domain = domain_of(lower(address));
  if (!domain) return domain.error();
  return make_error(fmt::format("{} is not a domain of this appliance", *domain));
}

Result<Located> AccountService::existing(std::string_view address) {
  auto l = locate(address);
  if (!l) return l;
  if (!l->account) return make_error(fmt::format("no account {}", lower(address)));
  return l;
}

Result<void> AccountService::note(std::string_view actor, std::string action, std::string target,
                                  std::string details) {
  auto e =
      events_.record(std::string(actor), std::move(action), std::move(target), std::move(details));
  if (!e) return e.error();
  return {};
}

void AccountService::forget(const std::string& address) {
  if (parts_.cache) parts_.cache->forget_account(address);
}

Result<void> AccountService::set_password(std::string_view address, const Secret& password,
                                          std::string_view actor, std::string_view action) {
  auto l = existing(address);
  if (!l) return l.error();
  const std::string& a = l->account->address;
  if (auto ok = parts_.policy.check(password, a); !ok) return ok;
  auto stored = hasher_.hash(password);
  if (!stored) return stored.error();
  if (auto r = l->tenant->set_password(l->account->id, *stored); !r) return r;
  forget(a);
  return note(actor, std::string(action), a);
}

void AccountService::notify_password_change(std::string_view address, const Origin& origin,
                                            bool reset) {
  auto fail = [&](const std::string& why) {
    log::warning("password notice not delivered", {{"account", lower(address)}, {"reason", why}});
  };
  auto l = existing(address);
  if (!l) return fail(l.message());
  std::int64_t now = parts_.clock.unix_seconds();
  ChangeFacts facts{l->account->address, now, origin.source, origin.client};
  const std::string& a = l->account->address;
  if (auto r = to_inbox(
          *l, password_changed_notice(facts, reset, a, message_id("password", *l, now)), now);
      !r)
    fail(r.message());
  const std::string& contact = l->account->contact_email;
  if (contact.empty()) return;
  if (auto r = to_outside(
          *l, contact,
          password_changed_notice(facts, reset, contact, message_id("password", *l, now)), now,
          parts_.dkim);
      !r)
    fail(r.message());
}

Result<std::string> AccountService::check_contact_email(std::string_view contact) {
  std::string c = lower(contact);
  auto parsed = smtp::parse_path("<" + c + ">", {});
  if (c.size() > 254 || parsed.fault != smtp::PathFault::none || parsed.used != c.size() + 2 ||
      parsed.mailbox.domain.empty() || parsed.mailbox.domain.front() == '[' ||
      parsed.mailbox.domain.find('.') == std::string::npos)
    return make_error(fmt::format("\"{}\" is not a mail address (like name@example.com)", contact));
  if (parts_.store.find_domain(parsed.mailbox.domain))
    return make_error(fmt::format(
        "{} is a domain of this appliance: a contact address must be outside it, so that a "
        "reset reaches you when you cannot sign in here",
        parsed.mailbox.domain));
  return c;
}

Result<void> AccountService::set_contact_email(std::string_view address, std::string_view contact,
                                               std::string_view actor, const Origin& origin) {
  auto l = existing(address);
  if (!l) return l.error();
  std::string c;
  if (!contact.empty()) {
    auto checked = check_contact_email(contact);
    if (!checked) return checked.error();
    c = std::move(*checked);
  }
  const std::string& a = l->account->address;
  if (auto r = l->tenant->set_contact_email(l->account->id, c); !r) return r;
  if (auto e = note(actor, "email.change", a,
                    json{{"address", c}, {"previous", l->account->contact_email}}.dump());
      !e)
    return e;
  std::int64_t now = parts_.clock.unix_seconds();
  ChangeFacts facts{a, now, origin.source, origin.client};
  if (auto r = to_inbox(*l, contact_changed_notice(facts, c, message_id("contact", *l, now)), now);
      !r)
    log::warning("contact notice not delivered", {{"account", a}, {"reason", r.message()}});
  return {};
}

Result<void> AccountService::rehash(const Located& where, const Secret& password) {
  auto stored = hasher_.hash(password);
  if (!stored) return stored.error();
  return where.tenant->set_password(where.account->id, *stored);
}

Result<NewAppPassword> AccountService::add_app_password(std::string_view address,
                                                        std::string_view name, const Scope& scope,
                                                        std::string_view actor) {
  if (scope.protocols == 0) return make_error("an app password needs at least one protocol");
  auto l = existing(address);
  if (!l) return l.error();
  auto token = make_token(parts_.keys, TokenKind::app_password);
  if (!token) return token.error();
  store::AppPassword row{token->stored.id,
                         l->account->id,
                         std::string(name),
                         token->stored.key,
                         token->stored.mac,
                         scope.protocols,
                         networks_text(scope.networks),
                         scope.expires,
                         parts_.clock.unix_seconds()};
  if (auto r = l->tenant->add_app_password(row); !r) return r.error();
  json details = {{"id", row.id},
                  {"name", row.name},
                  {"protocols", protocols_to_string(row.protocols)},
                  {"networks", row.networks},
                  {"expires", row.expires.value_or(0)}};
  if (auto e = note(actor, "app_password.create", l->account->address, details.dump()); !e)
    return e.error();
  return NewAppPassword{std::move(token->text), std::move(row)};
}

Result<std::vector<store::AppPassword>> AccountService::app_passwords(std::string_view address) {
  auto l = existing(address);
  if (!l) return l.error();
  return l->tenant->app_passwords(l->account->id);
}

Result<void> AccountService::revoke_app_password(std::string_view address, std::string_view id,
                                                 std::string_view actor) {
  auto l = existing(address);
  if (!l) return l.error();
  const std::string& a = l->account->address;
  auto done = l->tenant->revoke_app_password(l->account->id, id, parts_.clock.unix_seconds());
  if (!done) return done.error();
  if (!*done)
    return make_error(fmt::format("{} has no app password {} that is not revoked", a, id));
  forget(a);
  return note(actor, "app_password.revoke", a, json{{"id", id}}.dump());
}

Result<void> AccountService::set_state(std::string_view address, store::AccountState state,
                                       std::string_view actor) {
  auto l = existing(address);
  if (!l) return l.error();
  const std::string& a = l->account->address;
  if (auto r = l->tenant->set_state(l->account->id, state, parts_.clock.unix_seconds()); !r)
    return r;
  forget(a);
  return note(actor, fmt::format("account.{}", store::to_string(state)), a);
}

Result<void> AccountService::set_role(std::string_view address, store::Role role,
                                      std::string_view actor) {
  auto l = existing(address);
  if (!l) return l.error();
  if (auto r = l->tenant->set_role(l->account->id, role); !r) return r;
  return note(actor, "account.role", l->account->address,
              json{{"role", store::to_string(role)}}.dump());
}

Result<void> AccountService::set_quota(std::string_view address, std::uint64_t bytes,
                                       std::string_view actor) {
  auto l = existing(address);
  if (!l) return l.error();
  if (auto r = l->tenant->set_quota(l->account->id, bytes); !r) return r;
  return note(actor, "account.quota", l->account->address, json{{"bytes", bytes}}.dump());
}

Result<std::vector<std::string>> AccountService::purge_closed(int days, std::string_view actor) {
  std::int64_t limit = days_ago(parts_.clock, days);
  auto tenants = parts_.store.tenants();
  if (!tenants) return tenants.error();
  std::vector<std::string> destroyed;
  for (const store::Tenant& t : *tenants) {
    auto ts = parts_.store.tenant(t.id);
    if (!ts) return ts.error();
    auto accounts = (*ts)->accounts();
    if (!accounts) return accounts.error();
    for (const store::Account& a : *accounts) {
      auto s = (*ts)->security(a.id);
      if (!s) return s.error();
      if (!*s || (*s)->state != store::AccountState::closed || (*s)->closed > limit) continue;
      if (auto r = (*ts)->destroy_account(a.id); !r) return r.error();
      forget(a.address);
      destroyed.push_back(a.address);
      if (auto e = note(actor, "account.destroy", a.address, json{{"closed", (*s)->closed}}.dump());
          !e)
        return e.error();
    }
  }
  return destroyed;
}

Result<void> AccountService::add_alias(std::string_view alias, std::string_view account,
                                       std::string_view actor) {
  auto from = locate(alias);
  if (!from) return from.error();
  if (from->account) return make_error(fmt::format("{} is an account, not an alias", lower(alias)));
  auto to = existing(account);
  if (!to) return to.error();
  if (to->domain.tenant != from->domain.tenant)
    return make_error(
        fmt::format("{} and {} belong to different tenants", lower(alias), to->account->address));
  auto links = from->tenant->alias(lower(alias));
  if (!links) return links.error();
  for (const auto& l : *links)
    if (l.account == to->account->id)
      return make_error(fmt::format("alias {} already leads to {}", lower(alias), l.target));
  if (auto r = from->tenant->add_alias(lower(alias), to->account->id); !r) return r;
  return note(actor, "alias.add", lower(alias), json{{"account", to->account->address}}.dump());
}

Result<void> AccountService::remove_alias(std::string_view alias, std::string_view account,
                                          std::string_view actor) {
  auto from = locate(alias);
  if (!from) return from.error();
  std::optional<store::Id> only;
  if (!account.empty()) {
    auto to = existing(account);
    if (!to) return to.error();
    only = to->account->id;
  }
  auto removed = from->tenant->remove_alias(lower(alias), only);
  if (!removed) return removed.error();
  if (*removed == 0)
    return make_error(account.empty() ? fmt::format("no alias {}", lower(alias))
                                      : fmt::format("alias {} does not lead to {}", lower(alias),
                                                    lower(account)));
  return note(actor, "alias.remove", lower(alias), json{{"account", lower(account)}}.dump());
}

Result<void> AccountService::set_catch_all(std::string_view domain, std::string_view account,
                                           std::string_view actor) {
  auto to = existing(account);
  if (!to) return to.error();
  auto d = parts_.store.find_domain(lower(domain));
  if (!d) return make_error(fmt::format("{} is not a domain of this appliance", lower(domain)));
  if (d->tenant != to->domain.tenant)
    return make_error(
        fmt::format("{} and {} belong to different tenants", d->name, to->account->address));
  if (auto r = to->tenant->set_catch_all(d->name, to->account->id); !r) return r;
  return note(actor, "catch_all.set", d->name, json{{"account", to->account->address}}.dump());
}

Result<void> AccountService::clear_catch_all(std::string_view domain, std::string_view actor) {
  auto d = parts_.store.find_domain(lower(domain));
  if (!d) return make_error(fmt::format("{} is not a domain of this appliance", lower(domain)));
  auto tenant = parts_.store.tenant(d->tenant);
  if (!tenant) return tenant.error();
  auto cleared = (*tenant)->clear_catch_all(d->name);
  if (!cleared) return cleared.error();
  if (!*cleared) return make_error(fmt::format("{} has no catch-all", d->name));
  return note(actor, "catch_all.clear", d->name);
}

}  // namespace appliance::auth
