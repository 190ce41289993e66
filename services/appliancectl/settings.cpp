// NAME
//   settings.cpp - what an account may do: its state (active, locked,
//   closed), its role and its quota, and `accounts show` of all of it.
//
// DESCRIPTION
//   `accounts lock` refuses every login while mail still arrives; `unlock`
//   lifts it; `close` refuses logins and mail and records the closing time.
//   `accounts role ADDR user|tenant-admin|appliance-admin|auditor`,
//   `accounts quota ADDR SIZE` (bytes, or with K, M, G or T; 0: no limit).
//   `accounts set-email ADDR EMAIL` sets the contact address outside the
//   appliance where password reset codes go ("" removes it; the web asks the
//   owner to confirm it by a code, the administrator is trusted).
//   `accounts purge-closed [--days 30]` destroys (crypto-shredding) the
//   accounts closed at least that long ago; --days 0: every closed account.
//   Each change is a security event.
#include "appliancectl/settings.h"

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "appliancectl/store_access.h"
#include "appliancectl/times.h"
#include "auth/admin.h"

namespace appliance::ctl {
namespace {

struct Options {
  std::string address, value;
  int days = 30;
};

int show(auth::AccountService& service, const Options& o) {
  auto l = service.existing(o.address);
  if (!l) return fail(l.message());
  const store::AccountSecurity& a = *l->account;
  auto apps = l->tenant->app_passwords(a.id);
  if (!apps) return fail(apps.message());
  std::size_t live = 0;
  for (const auto& p : *apps) live += !p.revoked;
  std::cout << fmt::format(
      "account    {}\ntenant     {}\nstate      {}{}\nrole       {}\n", a.address, l->domain.tenant,
      store::to_string(a.state),
      a.state == store::AccountState::closed ? " since " + utc_time(a.closed) : "",
      store::to_string(a.role));
  std::cout << fmt::format(
      "quota      {}\npassword   {}\ntwo-factor {}\ncontact    {}\napp passwords {} ({} revoked)\n",
      a.quota ? std::to_string(a.quota) + " bytes" : "no limit",
      a.password.empty() ? "not set" : "set", a.two_factor() ? "on" : "off",
      a.contact_email.empty() ? "none" : a.contact_email, live, apps->size() - live);
  return 0;
}

int set_state(auth::AccountService& service, const Options& o, store::AccountState state) {
  if (auto r = service.set_state(o.address, state, "appliancectl"); !r) return fail(r.message());
  std::cout << fmt::format("account {} is {}\n", auth::lower(o.address), store::to_string(state));
  return 0;
}

int set_role(auth::AccountService& service, const Options& o) {
  auto role = store::parse_role(o.value);
  if (!role) return fail(role.message());
  if (auto r = service.set_role(o.address, *role, "appliancectl"); !r) return fail(r.message());
  std::cout << fmt::format("account {} is {}\n", auth::lower(o.address), store::to_string(*role));
  return 0;
}

int set_quota(auth::AccountService& service, const Options& o) {
  auto bytes = auth::parse_size(o.value);
  if (!bytes) return fail(bytes.message());
  if (auto r = service.set_quota(o.address, *bytes, "appliancectl"); !r) return fail(r.message());
  std::cout << fmt::format("quota of {}: {}\n", auth::lower(o.address),
                           *bytes ? std::to_string(*bytes) + " bytes" : "no limit");
  return 0;
}

int set_email(auth::AccountService& service, const Options& o) {
  if (auto r = service.set_contact_email(o.address, o.value, "appliancectl"); !r)
    return fail(r.message());
  if (o.value.empty())
    std::cout << fmt::format("contact address of {} removed\n", auth::lower(o.address));
  else
    std::cout << fmt::format("contact address of {}: {}\n", auth::lower(o.address),
                             auth::lower(o.value));
  return 0;
}

int purge_closed(auth::AccountService& service, const Options& o) {
  if (o.days < 0) return fail("--days must not be negative");
  auto gone = service.purge_closed(o.days, "appliancectl");
  if (!gone) return fail(gone.message());
  for (const std::string& a : *gone) std::cout << fmt::format("account {} destroyed\n", a);
  std::cout << fmt::format("{} closed accounts destroyed\n", gone->size());
  return 0;
}

}  // namespace

void add_setting_commands(CLI::App& accounts, const std::filesystem::path& home, int& exit_code) {
  auto o = std::make_shared<Options>();
  auto run = [&home, &exit_code](auto action) { return service_callback(home, exit_code, action); };
  auto* show_cmd = accounts.add_subcommand("show", "An account's state, role, quota and sign-in");
  show_cmd->add_option("address", o->address, "The account")->required();
  show_cmd->callback(run([o](auth::AccountService& s) { return show(s, *o); }));

  using store::AccountState;
  for (auto [name, state, what] :
       {std::tuple{"lock", AccountState::locked, "Refuse every login (mail still arrives)"},
        std::tuple{"unlock", AccountState::active, "Allow logins again"},
        std::tuple{"close", AccountState::closed, "Close: no logins, no mail"}}) {
    auto* cmd = accounts.add_subcommand(name, what);
    cmd->add_option("address", o->address, "The account")->required();
    cmd->callback(run([o, state](auth::AccountService& s) { return set_state(s, *o, state); }));
  }
  auto* purge = accounts.add_subcommand(
      "purge-closed", "Destroy accounts closed at least --days ago, with all their mail");
  purge->add_option("--days", o->days, "Days a closed account is kept")->capture_default_str();
  purge->callback(run([o](auth::AccountService& s) { return purge_closed(s, *o); }));
  auto* role = accounts.add_subcommand("role", "Set an account's role");
  role->add_option("address", o->address, "The account")->required();
  role->add_option("role", o->value, "user, tenant-admin, appliance-admin or auditor")->required();
  role->callback(run([o](auth::AccountService& s) { return set_role(s, *o); }));
  auto* quota = accounts.add_subcommand("quota", "Set an account's quota");
  quota->add_option("address", o->address, "The account")->required();
  quota->add_option("size", o->value, "Bytes, or with K, M, G or T; 0: no limit")->required();
  quota->callback(run([o](auth::AccountService& s) { return set_quota(s, *o); }));
  auto* email =
      accounts.add_subcommand("set-email", "Set the contact address where password reset codes go");
  email->add_option("address", o->address, "The account")->required();
  email->add_option("email", o->value, "A mail address outside the appliance; \"\" removes it")
      ->required();
  email->callback(run([o](auth::AccountService& s) { return set_email(s, *o); }));
}

}  // namespace appliance::ctl
