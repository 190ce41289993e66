// NAME
//   admin.cpp - /api/v1/admin: tenants, domains, accounts, aliases and
//   catch-alls, as appliancectl manages them, with the caller's rights.
//
// DESCRIPTION
//   Names are checked and accounts made by the same code appliancectl runs
//   (auth/admin.h); state, role, quota, passwords, aliases and catch-alls
//   change through the account service, which records each change as a
//   security event with the caller as actor. What only the API makes
//   (tenants, domains, accounts) is recorded here as admin.* events.
//
// SECURITY
//   Every handler asks admin_of() first: a user is refused, an auditor may
//   read and never change (403 before the body is looked at), a tenant
//   admin reaches only its own tenant (anything else is 404, so another
//   tenant's names do not leak). A role is granted only within the
//   caller's own: a tenant admin makes users and tenant admins, and does not
//   touch an account holding more than that. Changes need sudo mode or an
//   API key (routes.cpp, api.cpp); the body is untrusted, every field is
//   checked and a bad one is a 400 naming it.
#include "webd/admin.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "auth/admin.h"
#include "auth/api_keys.h"
#include "store/domains.h"
#include "webd/handlers.h"
#include "webd/http.h"
#include "webd/json_body.h"

namespace appliance::webd {
namespace {

using nlohmann::json;

HttpResponse conflict(std::string_view message) {
  return json_error(409, "conflict", message);
}

// A string field passed through `check`; an error names the field.
template <class Check>
auto checked_field(const json& body, const char* name, std::size_t max, Check check)
    -> decltype(check(std::string_view())) {
  auto text = string_field(body, name, max);
  if (!text) return text.error();
  auto checked = check(*text);
  if (!checked) return make_error(fmt::format("\"{}\": {}", name, checked.message()));
  return checked;
}

json account_json(const store::AccountSecurity& a, const std::string& tenant) {
  return {{"address", a.address},
          {"tenant", tenant},
          {"state", store::to_string(a.state)},
          {"role", store::to_string(a.role)},
          {"quota", a.quota},
          {"password_set", !a.password.empty()},
          {"two_factor", a.two_factor()}};
}

// "active", "disabled" (or "locked": every login refused, mail still arrives), "closed".
Result<store::AccountState> state_field(const json& value) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text == "disabled") return store::AccountState::locked;
    if (auto s = store::parse_state(text); s) return s;
  }
  return make_error("\"state\" must be \"active\", \"disabled\" or \"closed\"");
}

// Bytes as a number, or a size as text ("5G"); 0: no limit.
Result<std::uint64_t> quota_field(const json& value) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_string())
    if (auto n = auth::parse_size(value.get_ref<const std::string&>()); n) return n;
  return make_error("\"quota\" must be a number of bytes or a size like 5G, 500M, 0 for no limit");
}

Result<store::Role> role_field(const json& value) {
  if (value.is_string())
    if (auto r = store::parse_role(value.get_ref<const std::string&>()); r) return r;
  return make_error(
      "\"role\" must be \"user\", \"tenant-admin\", \"appliance-admin\" or \"auditor\"");
}

// A tenant admin grants (and manages accounts holding) user and tenant admin only.
bool may_grant(const Admin& admin, store::Role role) {
  return admin.appliance || role == store::Role::user || role == store::Role::tenant_admin;
}

// The optional fields of a new or changed account, checked before anything changes.
struct AccountChange {
  std::optional<store::AccountState> state;
  std::optional<store::Role> role;
  std::optional<std::uint64_t> quota;
  std::optional<Secret> password;
  bool reset_two_factor = false;
};

std::optional<HttpResponse> read_change(Call& call, const Admin& admin, const std::string& address,
                                        AccountChange& c) {
  const json& b = call.body;
  if (auto it = b.find("state"); it != b.end()) {
    auto s = state_field(*it);
    if (!s) return bad_input(s.message());
    c.state = *s;
  }
  if (auto it = b.find("role"); it != b.end()) {
    auto r = role_field(*it);
    if (!r) return bad_input(r.message());
    if (!may_grant(admin, *r))
      return forbidden(fmt::format("a tenant admin cannot grant {}", store::to_string(*r)));
    c.role = *r;
  }
  if (auto it = b.find("quota"); it != b.end()) {
    auto q = quota_field(*it);
    if (!q) return bad_input(q.message());
    c.quota = *q;
  }
  if (b.contains("password")) {
    auto p = string_field(b, "password", auth::kMaxPasswordBytes);
    if (!p) return bad_input(p.message());
    Secret secret(std::move(*p));
    if (auto ok = call.parts.accounts.parts().policy.check(secret, address); !ok)
      return json_error(400, "weak_password", ok.message());
    c.password = std::move(secret);
  }
  if (auto it = b.find("reset_two_factor"); it != b.end()) {
    if (!it->is_boolean()) return bad_input("\"reset_two_factor\" must be true or false");
    c.reset_two_factor = it->get<bool>();
  }
  return std::nullopt;
}

Result<void> apply_change(Call& call, const std::string& address, const AccountChange& c) {
  auth::AccountService& accounts = call.parts.accounts;
  if (c.password)
    if (auto r = accounts.set_password(address, *c.password, call.actor()); !r) return r;
  if (c.role)
    if (auto r = accounts.set_role(address, *c.role, call.actor()); !r) return r;
  if (c.quota)
    if (auto r = accounts.set_quota(address, *c.quota, call.actor()); !r) return r;
  if (c.reset_two_factor)
    if (auto r = call.parts.two_factor.disable(address, call.actor()); !r) return r;
  if (c.state)
    if (auto r = accounts.set_state(address, *c.state, call.actor()); !r) return r;
  return {};
}

// The account at the path, if the caller may see it; a response otherwise.
std::optional<HttpResponse> visible_account(Call& call, const Admin& admin, auth::Located& out) {
  std::string address = path_name(call);
  auto found = call.parts.accounts.find(address);
  if (!found) return unavailable(found.error());
  if (!*found || !(*found)->account || !admin.sees((*found)->domain.tenant))
    return not_found(fmt::format("no account {}", address));
  out = std::move(**found);
  return std::nullopt;
}

// The tenants the caller sees, each with its name.
Result<std::vector<store::Tenant>> visible_tenants(Call& call, const Admin& admin) {
  auto all = call.parts.store.tenants();
  if (!all) return all.error();
  std::erase_if(*all, [&](const store::Tenant& t) { return !admin.sees(t.id); });
  return all;
}

// Calls `each` with every tenant the caller sees and its store; a fault ends the walk.
template <class Each>
Result<void> each_tenant(Call& call, const Admin& admin, Each each) {
  auto tenants = visible_tenants(call, admin);
  if (!tenants) return tenants.error();
  for (const store::Tenant& t : *tenants) {
    auto ts = call.parts.store.tenant(t.id);
    if (!ts) return ts.error();
    if (auto r = each(t, **ts); !r) return r;
  }
  return {};
}

std::string name_of(const std::vector<store::Tenant>& tenants, store::Id id) {
  for (const auto& t : tenants)
    if (t.id == id) return t.name;
  return std::to_string(id);
}

// The domain named, if the caller sees it.
std::optional<store::Domain> visible_domain(Call& call, const Admin& admin, const std::string& d) {
  auto found = call.parts.store.find_domain(d);
  if (!found || !admin.sees(found->tenant)) return std::nullopt;
  return *found;
}

}  // namespace

Result<void> note(Call& call, std::string action, std::string target, const json& details) {
  auto e = call.parts.accounts.events().record(call.actor(), std::move(action), std::move(target),
                                               details.dump());
  if (!e) return e.error();
  return {};
}

std::optional<HttpResponse> admin_of(Call& call, Admin& admin) {
  auto where = call.parts.accounts.existing(call.address());
  if (!where) return unavailable(where.error());
  auto held = call.parts.api_keys.rights_of(*where);
  if (!held) return unavailable(held.error());
  auth::Rights rights = *held;
  if (call.key) {
    rights.clear();
    for (const auth::Grant& g : call.key->grants)
      if (std::any_of(held->begin(), held->end(),
                      [&](const auth::Grant& h) { return covers(h, g); }))
        rights.push_back(g);
  }
  for (const auth::Grant& g : rights) {
    if (g.role == auth::Role::appliance_admin) admin.appliance = true;
    if (g.role == auth::Role::auditor) admin.auditor = true;
    if (g.role != auth::Role::tenant_admin) continue;
    auto t = auth::find_tenant(call.parts.store, g.tenant);
    if (!t) return unavailable(t.error());
    if (*t) admin.tenant = (*t)->id;
  }
  if (!admin.appliance && !admin.auditor && !admin.tenant)
    return forbidden("this is for administrators and auditors");
  return std::nullopt;
}

HttpResponse forbidden(std::string_view message) {
  return json_error(403, "forbidden", message);
}

HttpResponse not_found(std::string_view what) {
  return json_error(404, "not_found", what);
}

std::string path_name(const Call& call) {
  auto decoded = percent_decode(call.param);
  return decoded ? auth::lower(*decoded) : std::string();
}

std::optional<std::string> query_param(const Call& call, std::string_view name) {
  const std::string& target = call.request.target;
  auto q = target.find('?');
  return query_value(q == std::string::npos ? "" : std::string_view(target).substr(q + 1), name);
}

std::optional<HttpResponse> read_limit(const Call& call, std::size_t& limit) {
  auto text = query_param(call, "limit");
  if (!text) return bad_input("\"limit\" is badly encoded");
  if (text->empty()) return std::nullopt;
  std::size_t n = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (error != std::errc() || end != text->data() + text->size() || n == 0 || n > 1000)
    return bad_input("\"limit\" must be a whole number from 1 to 1000");
  limit = n;
  return std::nullopt;
}

namespace handlers {

HttpResponse admin_tenants(Call& call) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return *r;
  auto tenants = visible_tenants(call, admin);
  if (!tenants) return unavailable(tenants.error());
  json out = json::array();
  for (const auto& t : *tenants) out.push_back({{"id", t.id}, {"name", t.name}});
  return json_response(200, {{"tenants", out}});
}

HttpResponse admin_add_tenant(Call& call) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return *r;
  if (!admin.appliance) return forbidden("only an appliance admin adds tenants");
  auto name = checked_field(call.body, "name", 64, auth::checked_tenant_name);
  if (!name) return bad_input(name.message());
  auto existing = auth::find_tenant(call.parts.store, *name);
  if (!existing) return unavailable(existing.error());
  if (*existing) return conflict(fmt::format("tenant \"{}\" exists", *name));
  auto t = call.parts.store.create_tenant(*name);
  if (!t) return unavailable(t.error());
  if (auto e = note(call, "admin.tenant_add", t->name, {{"id", t->id}}); !e)
    return unavailable(e.error());
  return json_response(201, {{"id", t->id}, {"name", t->name}});
}

HttpResponse admin_remove_tenant(Call& call) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return *r;
  if (!admin.appliance) return forbidden("only an appliance admin removes tenants");
  auto decoded = percent_decode(call.param);
  auto found = auth::find_tenant(call.parts.store, decoded ? *decoded : "");
  if (!found) return unavailable(found.error());
  if (!decoded || !*found) return not_found("no such tenant");
  const store::Tenant t = **found;
  auto listed = store::domains_of(call.parts.store);
  if (!listed) return unavailable(listed.error());
  auto domains = (*listed)->domains();
  if (!domains) return unavailable(domains.error());
  for (const auto& d : *domains)
    if (d.tenant == t.id)
      return conflict(
          fmt::format("tenant \"{}\" still has domain {}: remove it first", t.name, d.name));
  auto ts = call.parts.store.tenant(t.id);
  if (!ts) return unavailable(ts.error());
  auto accounts = (*ts)->accounts();
  if (!accounts) return unavailable(accounts.error());
  if (!accounts->empty()) return conflict(fmt::format("tenant \"{}\" still has accounts", t.name));
  auto removed = (*listed)->remove_tenant(t.id);
  if (!removed) return unavailable(removed.error());
  if (!*removed) return conflict(fmt::format("tenant \"{}\" gained a domain meanwhile", t.name));
  if (auto e = note(call, "admin.tenant_remove", t.name, {{"id", t.id}}); !e)
    return unavailable(e.error());
  return {204, {}, {}};
}

HttpResponse admin_domains(Call& call) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return *r;
  auto tenants = visible_tenants(call, admin);
  if (!tenants) return unavailable(tenants.error());
  auto listed = store::domains_of(call.parts.store);
  if (!listed) return unavailable(listed.error());
  auto domains = (*listed)->domains();
  if (!domains) return unavailable(domains.error());
  json out = json::array();
  for (const auto& d : *domains)
    if (admin.sees(d.tenant))
      out.push_back({{"name", d.name}, {"tenant", name_of(*tenants, d.tenant)}});
  return json_response(200, {{"domains", out}});
}

HttpResponse admin_add_domain(Call& call) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return *r;
  if (!admin.appliance) return forbidden("only an appliance admin adds domains");
  auto domain = checked_field(call.body, "name", 255, auth::checked_domain);
  if (!domain) return bad_input(domain.message());
  auto which = string_field(call.body, "tenant", 64);
  if (!which) return bad_input(which.message());
  auto tenant = auth::find_tenant(call.parts.store, *which);
  if (!tenant) return unavailable(tenant.error());
  if (!*tenant) return bad_input(fmt::format("\"tenant\": no tenant \"{}\"", *which));
  if (call.parts.store.find_domain(*domain))
    return conflict(fmt::format("domain {} exists", *domain));
  auto d = call.parts.store.add_domain((*tenant)->id, *domain);
  if (!d) return unavailable(d.error());
  if (auto e = note(call, "admin.domain_add", d->name, {{"tenant", (*tenant)->name}}); !e)
    return unavailable(e.error());
  return json_response(201, {{"name", d->name}, {"tenant", (*tenant)->name}});
}

HttpResponse admin_remove_domain(Call& call) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return *r;
  if (!admin.appliance) return forbidden("only an appliance admin removes domains");
  std::string name = path_name(call);
  auto d = call.parts.store.find_domain(name);
  if (!d) return not_found(fmt::format("no domain {}", name));
  auto tenant = call.parts.store.tenant(d->tenant);
  if (!tenant) return unavailable(tenant.error());
  auto accounts = (*tenant)->accounts();
  if (!accounts) return unavailable(accounts.error());
  auto aliases = (*tenant)->aliases();
  if (!aliases) return unavailable(aliases.error());
  const std::string at = "@" + d->name;
  bool used = std::any_of(accounts->begin(), accounts->end(),
                          [&](const store::Account& a) { return a.address.ends_with(at); }) ||
              std::any_of(aliases->begin(), aliases->end(),
                          [&](const store::Alias& a) { return a.address.ends_with(at); });
  if (used) return conflict(fmt::format("{} still has accounts or aliases", d->name));
  auto catch_all = (*tenant)->catch_all(d->name);
  if (!catch_all) return unavailable(catch_all.error());
  if (*catch_all) return conflict(fmt::format("{} still has a catch-all", d->name));
  auto listed = store::domains_of(call.parts.store);
  if (!listed) return unavailable(listed.error());
  auto removed = (*listed)->remove_domain(d->name);
  if (!removed) return unavailable(removed.error());
  if (auto e = note(call, "admin.domain_remove", d->name, json::object()); !e)
    return unavailable(e.error());
  return {204, {}, {}};
}

HttpResponse admin_accounts(Call& call) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return *r;
  json out = json::array();
  auto fault = each_tenant(call, admin, [&](const store::Tenant& t, store::TenantStore& ts) {
    auto accounts = ts.accounts();
    if (!accounts) return Result<void>(accounts.error());
    for (const store::Account& a : *accounts) {
      auto s = ts.security(a.id);
      if (!s) return Result<void>(s.error());
      if (*s) out.push_back(account_json(**s, t.name));
    }
    return Result<void>();
  });
  if (!fault) return unavailable(fault.error());
  return json_response(200, {{"accounts", out}});
}

HttpResponse admin_add_account(Call& call) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return *r;
  if (!admin.changes_any()) return forbidden("an auditor changes nothing");
  auto mailbox = checked_field(call.body, "address", 254, auth::checked_address);
  if (!mailbox) return bad_input(mailbox.message());
  const std::string address = mailbox->text();
  auto domain = visible_domain(call, admin, mailbox->domain);
  if (!domain || !admin.changes(domain->tenant))
    return not_found(fmt::format("{} is not a domain of this appliance", mailbox->domain));
  AccountChange change;
  if (auto r = read_change(call, admin, address, change)) return *r;
  bool generated = !change.password;
  // Random text may, rarely, contain the local part, which the policy refuses: draw again.
  for (int draw = 0; generated && draw < 8; ++draw) {
    change.password = auth::generated_password();
    if (call.parts.accounts.parts().policy.check(*change.password, address)) break;
  }
  auto tenant = call.parts.store.tenant(domain->tenant);
  if (!tenant) return unavailable(tenant.error());
  if ((*tenant)->find_account(address)) return conflict(fmt::format("account {} exists", address));
  if (auto aliases = (*tenant)->alias(address); !aliases || !aliases->empty())
    return aliases ? conflict(fmt::format("{} is an alias", address))
                   : unavailable(aliases.error());
  auto made = auth::create_account(**tenant, address);
  if (!made) return unavailable(made.error());
  auto name = auth::tenant_name(call.parts.store, domain->tenant);
  if (!name) return unavailable(name.error());
  if (auto e = note(call, "admin.account_create", address, {{"tenant", *name}}); !e)
    return unavailable(e.error());
  if (auto r = apply_change(call, address, change); !r) return unavailable(r.error());
  auto where = call.parts.accounts.existing(address);
  if (!where) return unavailable(where.error());
  json out = account_json(*where->account, *name);
  if (generated) out["password"] = std::string(change.password->reveal());  // shown once
  return json_response(201, out);
}

HttpResponse admin_account(Call& call) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return *r;
  auth::Located where;
  if (auto r = visible_account(call, admin, where)) return *r;
  auto name = auth::tenant_name(call.parts.store, where.domain.tenant);
  if (!name) return unavailable(name.error());
  auto apps = where.tenant->app_passwords(where.account->id);
  if (!apps) return unavailable(apps.error());
  json out = account_json(*where.account, *name);
  out["app_passwords"] = std::count_if(apps->begin(), apps->end(),
                                       [](const store::AppPassword& p) { return !p.revoked; });
  return json_response(200, out);
}

HttpResponse admin_change_account(Call& call) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return *r;
  if (!admin.changes_any()) return forbidden("an auditor changes nothing");
  auth::Located where;
  if (auto r = visible_account(call, admin, where)) return *r;
  if (!admin.changes(where.domain.tenant)) return forbidden("an auditor changes nothing");
  const std::string address = where.account->address;
  if (!may_grant(admin, where.account->role))
    return forbidden(fmt::format("{} is {}: only an appliance admin changes it", address,
                                 store::to_string(where.account->role)));
  AccountChange change;
  if (auto r = read_change(call, admin, address, change)) return *r;
  if (change.reset_two_factor && !where.account->two_factor()) change.reset_two_factor = false;
  if (auto r = apply_change(call, address, change); !r) return unavailable(r.error());
  auto after = call.parts.accounts.existing(address);
  if (!after) return unavailable(after.error());
  auto name = auth::tenant_name(call.parts.store, where.domain.tenant);
  if (!name) return unavailable(name.error());
  return json_response(200, account_json(*after->account, *name));
}

HttpResponse admin_close_account(Call& call) {
  call.body = {{"state", "closed"}};
  auto r = admin_change_account(call);
  return r.status == 200 ? HttpResponse{204, {}, {}} : r;
}

HttpResponse admin_aliases(Call& call) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return *r;
  json out = json::array();
  auto fault = each_tenant(call, admin, [&](const store::Tenant& t, store::TenantStore& ts) {
    auto aliases = ts.aliases();
    if (!aliases) return Result<void>(aliases.error());
    for (const store::Alias& a : *aliases)
      out.push_back({{"address", a.address}, {"account", a.target}, {"tenant", t.name}});
    auto catch_alls = ts.catch_alls();
    if (!catch_alls) return Result<void>(catch_alls.error());
    for (const store::CatchAll& c : *catch_alls)
      out.push_back({{"address", "@" + c.domain}, {"account", c.target}, {"tenant", t.name}});
    return Result<void>();
  });
  if (!fault) return unavailable(fault.error());
  return json_response(200, {{"aliases", out}});
}

HttpResponse admin_add_alias(Call& call) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return *r;
  if (!admin.changes_any()) return forbidden("an auditor changes nothing");
  auto alias = string_field(call.body, "address", 254);
  if (!alias) return bad_input(alias.message());
  auto account = string_field(call.body, "account", 254);
  if (!account) return bad_input(account.message());
  bool catch_all = alias->starts_with("@");
  std::string from;
  if (catch_all) {
    auto d = auth::checked_domain(alias->substr(1));
    if (!d) return bad_input(fmt::format("\"address\": {}", d.message()));
    from = *d;
  } else {
    auto m = auth::checked_address(*alias);
    if (!m) return bad_input(fmt::format("\"address\": {}", m.message()));
    from = m->text();
  }
  auto domain = visible_domain(call, admin, catch_all ? from : from.substr(from.rfind('@') + 1));
  if (!domain || !admin.changes(domain->tenant))
    return not_found(fmt::format("{} is not in a domain of this appliance", from));
  auto to = call.parts.accounts.find(*account);
  if (!to) return unavailable(to.error());
  if (!*to || !(*to)->account || !admin.sees((*to)->domain.tenant))
    return not_found(fmt::format("no account {}", auth::lower(*account)));
  if ((*to)->domain.tenant != domain->tenant)
    return bad_input(fmt::format("\"account\": {} belongs to another tenant than {}",
                                 (*to)->account->address, from));
  const std::string target = (*to)->account->address;
  if (catch_all) {
    if (auto r = call.parts.accounts.set_catch_all(from, target, call.actor()); !r)
      return unavailable(r.error());
    return json_response(201, {{"address", "@" + from}, {"account", target}});
  }
  auto located = call.parts.accounts.locate(from);
  if (!located) return unavailable(located.error());
  if (located->account) return conflict(fmt::format("{} is an account", from));
  auto links = located->tenant->alias(from);
  if (!links) return unavailable(links.error());
  for (const auto& l : *links)
    if (l.target == target) return conflict(fmt::format("{} leads to {} already", from, target));
  if (auto r = call.parts.accounts.add_alias(from, target, call.actor()); !r)
    return unavailable(r.error());
  return json_response(201, {{"address", from}, {"account", target}});
}

HttpResponse admin_remove_alias(Call& call) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return *r;
  if (!admin.changes_any()) return forbidden("an auditor changes nothing");
  std::string alias = path_name(call);
  bool catch_all = alias.starts_with("@");
  std::string from = catch_all ? alias.substr(1) : alias;
  auto at = from.rfind('@');
  auto domain = visible_domain(call, admin, at == std::string::npos ? from : from.substr(at + 1));
  if (alias.empty() || !domain || !admin.changes(domain->tenant))
    return not_found(fmt::format("no alias {}", alias));
  auto tenant = call.parts.store.tenant(domain->tenant);
  if (!tenant) return unavailable(tenant.error());
  if (catch_all) {
    auto c = (*tenant)->catch_all(from);
    if (!c) return unavailable(c.error());
    if (!*c) return not_found(fmt::format("no catch-all for {}", from));
    if (auto r = call.parts.accounts.clear_catch_all(from, call.actor()); !r)
      return unavailable(r.error());
    return {204, {}, {}};
  }
  auto links = (*tenant)->alias(from);
  if (!links) return unavailable(links.error());
  if (links->empty()) return not_found(fmt::format("no alias {}", from));
  if (auto r = call.parts.accounts.remove_alias(from, "", call.actor()); !r)
    return unavailable(r.error());
  return {204, {}, {}};
}

}  // namespace handlers
}  // namespace appliance::webd
