// NAME
//   addresses.cpp - aliases (an address leading to one or more accounts) and
//   per-domain catch-alls.
//
// DESCRIPTION
//   `aliases add ALIAS ACCOUNT` (again with another account for a list),
//   `aliases list [--tenant T]`, `aliases remove ALIAS [ACCOUNT]`;
//   `catch-all set DOMAIN ACCOUNT`, `catch-all clear DOMAIN`. An alias is in
//   one of the appliance's domains, is not an account itself, and leads only
//   to accounts of the same tenant. Each change is a security event.
#include "appliancectl/addresses.h"

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "appliancectl/accounts.h"
#include "appliancectl/store_access.h"

namespace appliance::ctl {
namespace {

struct Options {
  std::string alias, account, domain, tenant;
};

int alias_add(auth::AccountService& service, const Options& o) {
  auto alias = checked_address(o.alias);
  if (!alias) return fail(alias.message());
  if (auto r = service.add_alias(alias->text(), o.account, "appliancectl"); !r)
    return fail(r.message());
  std::cout << fmt::format("alias {} leads to {}\n", alias->text(), auth::lower(o.account));
  return 0;
}

int alias_remove(auth::AccountService& service, const Options& o) {
  if (auto r = service.remove_alias(o.alias, o.account, "appliancectl"); !r)
    return fail(r.message());
  std::cout << fmt::format("alias {} removed{}\n", auth::lower(o.alias),
                           o.account.empty() ? "" : " for " + auth::lower(o.account));
  return 0;
}

int alias_list(store::Store& s, const Options& o) {
  auto tenants = s.tenants();
  if (!tenants) return fail(tenants.message());
  std::cout << fmt::format("{:<24} {:<40} {}\n", "TENANT", "ALIAS", "ACCOUNT");
  bool found = o.tenant.empty();
  for (const store::Tenant& t : *tenants) {
    if (!o.tenant.empty() && o.tenant != t.name && o.tenant != std::to_string(t.id)) continue;
    found = true;
    auto ts = s.tenant(t.id);
    if (!ts) return fail(ts.message());
    auto aliases = (*ts)->aliases();
    if (!aliases) return fail(fmt::format("tenant {}: {}", t.name, aliases.message()));
    for (const store::Alias& a : *aliases)
      std::cout << fmt::format("{:<24} {:<40} {}\n", t.name, a.address, a.target);
    auto catch_alls = (*ts)->catch_alls();
    if (!catch_alls) return fail(fmt::format("tenant {}: {}", t.name, catch_alls.message()));
    for (const store::CatchAll& c : *catch_alls)
      std::cout << fmt::format("{:<24} {:<40} {}\n", t.name, "*@" + c.domain, c.target);
  }
  if (!found) return fail(fmt::format("no tenant \"{}\" (appliancectl tenants list)", o.tenant));
  return 0;
}

int catch_all_set(auth::AccountService& service, const Options& o) {
  if (auto r = service.set_catch_all(o.domain, o.account, "appliancectl"); !r)
    return fail(r.message());
  std::cout << fmt::format("mail to unknown addresses of {} goes to {}\n", auth::lower(o.domain),
                           auth::lower(o.account));
  return 0;
}

int catch_all_clear(auth::AccountService& service, const Options& o) {
  if (auto r = service.clear_catch_all(o.domain, "appliancectl"); !r) return fail(r.message());
  std::cout << fmt::format("{} has no catch-all now\n", auth::lower(o.domain));
  return 0;
}

}  // namespace

void add_address_commands(CLI::App& app, const std::filesystem::path& home, int& exit_code) {
  auto o = std::make_shared<Options>();
  auto run = [&home, &exit_code](AccountAction action) {
    return accounts_callback(home, exit_code, std::move(action));
  };
  auto* aliases = app.add_subcommand("aliases", "Addresses that lead to accounts");
  aliases->require_subcommand(1);
  auto* add = aliases->add_subcommand("add", "Make ALIAS lead to ACCOUNT (too)");
  add->add_option("alias", o->alias, "The alias address")->required();
  add->add_option("account", o->account, "An account of the same tenant")->required();
  add->callback(run([o](store::Store&, auth::AccountService& s) { return alias_add(s, *o); }));
  auto* list = aliases->add_subcommand("list", "List aliases and catch-alls");
  list->add_option("--tenant", o->tenant, "Only this tenant (name or id)");
  list->callback(run([o](store::Store& s, auth::AccountService&) { return alias_list(s, *o); }));
  auto* remove = aliases->add_subcommand("remove", "Remove an alias (or one of its accounts)");
  remove->add_option("alias", o->alias, "The alias address")->required();
  remove->add_option("account", o->account, "Only its link to this account");
  remove->callback(
      run([o](store::Store&, auth::AccountService& s) { return alias_remove(s, *o); }));

  auto* catch_all = app.add_subcommand("catch-all", "Where mail to unknown addresses goes");
  catch_all->require_subcommand(1);
  auto* set = catch_all->add_subcommand("set", "Send a domain's unknown addresses to ACCOUNT");
  set->add_option("domain", o->domain, "The domain")->required();
  set->add_option("account", o->account, "An account of the domain's tenant")->required();
  set->callback(run([o](store::Store&, auth::AccountService& s) { return catch_all_set(s, *o); }));
  auto* clear = catch_all->add_subcommand("clear", "Refuse mail to unknown addresses again");
  clear->add_option("domain", o->domain, "The domain")->required();
  clear->callback(
      run([o](store::Store&, auth::AccountService& s) { return catch_all_clear(s, *o); }));
}

}  // namespace appliance::ctl
