// NAME
//   accounts.cpp - tenants, their domains, and mail accounts with their
//   default folders.
//
// DESCRIPTION
//   Addresses and domains are checked with the SMTP parser's rules (RFC 5321
//   4.1.2) and kept in lower case: mail for Alice@Example.TEST and
//   alice@example.test reaches the same account. A new account gets its own
//   data key from keyd (wrapped by wrap/mail) and the default folders.
#include "appliancectl/accounts.h"

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "appliancectl/store_access.h"
#include "auth/admin.h"
#include "proto/smtp/address.h"

namespace appliance::ctl {
namespace {

namespace fs = std::filesystem;

struct Options {
  std::string name, tenant;
};

Result<store::Tenant> find_tenant(store::Store& s, const std::string& which) {
  auto found = auth::find_tenant(s, which);
  if (!found) return found.error();
  if (!*found)
    return make_error(fmt::format("no tenant \"{}\" (appliancectl tenants list)", which));
  return **found;
}

int tenants_add(store::Store& s, const Options& o) {
  if (auto name = auth::checked_tenant_name(o.name); !name) return fail(name.message());
  if (find_tenant(s, o.name)) return fail(fmt::format("tenant \"{}\" exists", o.name));
  auto t = s.create_tenant(o.name);
  if (!t) return fail(t.message());
  std::cout << fmt::format("tenant {} ({}) added\n", t->id, t->name);
  return 0;
}

int tenants_list(store::Store& s) {
  auto all = s.tenants();
  if (!all) return fail(all.message());
  std::cout << fmt::format("{:<6} {}\n", "ID", "TENANT");
  for (const store::Tenant& t : *all) std::cout << fmt::format("{:<6} {}\n", t.id, t.name);
  return 0;
}

int domains_add(store::Store& s, const Options& o) {
  auto domain = auth::checked_domain(o.name);
  if (!domain) return fail(domain.message());
  auto tenant = find_tenant(s, o.tenant);
  if (!tenant) return fail(tenant.message());
  if (auto existing = s.find_domain(*domain); existing)
    return fail(fmt::format("domain {} already belongs to tenant {}", *domain, existing->tenant));
  auto d = s.add_domain(tenant->id, *domain);
  if (!d) return fail(d.message());
  std::cout << fmt::format("domain {} added to tenant {} ({})\n", d->name, tenant->id,
                           tenant->name);
  return 0;
}

int accounts_add(store::Store& s, const Options& o) {
  auto address = checked_address(o.name);
  if (!address) return fail(address.message());
  auto domain = s.find_domain(address->domain);
  if (!domain)
    return fail(fmt::format("{} is not a domain of this appliance (appliancectl domains add)",
                            address->domain));
  auto tenant = s.tenant(domain->tenant);
  if (!tenant) return fail(tenant.message());
  const std::string text = address->text();
  if ((*tenant)->find_account(text)) return fail(fmt::format("account {} exists", text));
  auto account = auth::create_account(**tenant, text);
  if (!account) return fail(account.message());
  std::cout << fmt::format("account {} added to tenant {}, data key wrapped by {}\n", text,
                           domain->tenant, account->key_version);
  return 0;
}

int accounts_list(store::Store& s, const Options& o) {
  auto tenants = s.tenants();
  if (!tenants) return fail(tenants.message());
  if (!o.tenant.empty()) {
    auto t = find_tenant(s, o.tenant);
    if (!t) return fail(t.message());
    *tenants = {*t};
  }
  std::cout << fmt::format("{:<24} {:<40} {}\n", "TENANT", "ACCOUNT", "DATA KEY");
  for (const store::Tenant& t : *tenants) {
    auto ts = s.tenant(t.id);
    auto accounts = ts ? (*ts)->accounts() : Result<std::vector<store::Account>>(ts.error());
    if (!accounts) return fail(fmt::format("tenant {}: {}", t.name, accounts.message()));
    for (const store::Account& a : *accounts)
      std::cout << fmt::format("{:<24} {:<40} {}\n", t.name, a.address, a.key_version);
  }
  return 0;
}

}  // namespace

Result<smtp::Mailbox> checked_address(const std::string& text) {
  return auth::checked_address(text);
}

void add_account_commands(CLI::App& app, const std::filesystem::path& home, int& exit_code) {
  auto o = std::make_shared<Options>();
  auto run = [&home, &exit_code](auto action) {
    return [&home, &exit_code, action] { exit_code = with_store(home, true, action); };
  };

  auto* tenants = app.add_subcommand("tenants", "Organisations, each with its own databases");
  tenants->require_subcommand(1);
  auto* tadd = tenants->add_subcommand("add", "Add a tenant");
  tadd->add_option("name", o->name, "Its name")->required();
  tadd->callback(run([o](store::Store& s) { return tenants_add(s, *o); }));
  tenants->add_subcommand("list", "List the tenants")->callback(run([](store::Store& s) {
    return tenants_list(s);
  }));

  auto* domains = app.add_subcommand("domains", "The mail domains a tenant receives");
  domains->require_subcommand(1);
  auto* dadd = domains->add_subcommand("add", "Add a domain to a tenant");
  dadd->add_option("domain", o->name, "The domain, like example.com")->required();
  dadd->add_option("--tenant", o->tenant, "The tenant (name or id)")->required();
  dadd->callback(run([o](store::Store& s) { return domains_add(s, *o); }));

  auto* accounts = app.add_subcommand("accounts", "Mail accounts");
  accounts->require_subcommand(1);
  auto* aadd = accounts->add_subcommand("add", "Add an account, with its default folders");
  aadd->add_option("address", o->name, "Its address, in one of the tenants' domains")->required();
  aadd->callback(run([o](store::Store& s) { return accounts_add(s, *o); }));
  auto* alist = accounts->add_subcommand("list", "List accounts");
  alist->add_option("--tenant", o->tenant, "Only this tenant (name or id)");
  alist->callback(run([o](store::Store& s) { return accounts_list(s, *o); }));
}

}  // namespace appliance::ctl
