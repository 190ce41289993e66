// NAME
//   api_keys.cpp - API keys made, listed, revoked and checked.
#include "auth/api_keys.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace appliance::auth {
namespace {

constexpr std::size_t kMaxClient = 200;

Grant grant_of(store::Role role, const std::string& tenant) {
  switch (role) {
    case store::Role::appliance_admin:
      return {Role::appliance_admin, {}};
    case store::Role::tenant_admin:
      return {Role::tenant_admin, tenant};
    case store::Role::auditor:
      return {Role::auditor, {}};
    case store::Role::user:
      break;
  }
  return {Role::user, {}};
}

}  // namespace

std::string grants_text(const Rights& grants) {
  std::string out;
  for (const Grant& g : grants) out += (out.empty() ? "" : ",") + to_string(g);
  return out;
}

Result<Rights> parse_grants(std::string_view text) {
  Rights out;
  for (std::size_t start = 0; start < text.size();) {
    auto comma = std::min(text.find(',', start), text.size());
    auto g = parse_grant(text.substr(start, comma - start));
    if (!g) return g.error();
    out.push_back(*g);
    start = comma + 1;
  }
  return out;
}

Result<Rights> ApiKeys::rights_of(const Located& where) {
  auto tenants = accounts_.parts().store.tenants();
  if (!tenants) return tenants.error();
  std::string tenant;
  for (const auto& t : *tenants)
    if (t.id == where.domain.tenant) tenant = t.name;
  return Rights{grant_of(where.account->role, tenant)};
}

Result<NewApiKey> ApiKeys::create(std::string_view address, std::string_view name,
                                  const Rights& requested, std::optional<std::int64_t> expires,
                                  std::string_view actor) {
  if (requested.empty()) return make_error("an API key needs at least one grant");
  auto where = accounts_.existing(address);
  if (!where) return where.error();
  auto held = rights_of(*where);
  if (!held) return held.error();
  if (auto r = check_subset(requested, *held); !r) return r.error();
  std::int64_t now = accounts_.parts().clock.unix_seconds();
  if (expires && *expires <= now) return make_error("the expiry must be in the future");
  auto token = make_token(accounts_.parts().keys, TokenKind::api_key);
  if (!token) return token.error();
  store::ApiKey row{token->stored.id,
                    where->domain.tenant,
                    where->account->id,
                    where->account->address,
                    std::string(name),
                    token->stored.key,
                    token->stored.mac,
                    grants_text(requested),
                    expires,
                    now,
                    {},
                    {}};
  if (auto r = accounts_.parts().store.web().add_api_key(row); !r) return r.error();
  nlohmann::json details = {
      {"id", row.id}, {"name", row.name}, {"grants", row.grants}, {"expires", expires.value_or(0)}};
  auto e =
      accounts_.events().record(std::string(actor), "api_key.create", row.address, details.dump());
  if (!e) return e.error();
  return NewApiKey{std::move(token->text), std::move(row)};
}

Result<std::vector<store::ApiKey>> ApiKeys::list(std::string_view address) {
  auto where = accounts_.existing(address);
  if (!where) return where.error();
  return accounts_.parts().store.web().api_keys(where->domain.tenant, where->account->id);
}

Result<void> ApiKeys::revoke(std::string_view address, std::string_view id,
                             std::string_view actor) {
  auto where = accounts_.existing(address);
  if (!where) return where.error();
  const std::string& a = where->account->address;
  auto done = accounts_.parts().store.web().revoke_api_key(
      where->domain.tenant, where->account->id, id, accounts_.parts().clock.unix_seconds());
  if (!done) return done.error();
  if (!*done) return make_error(fmt::format("{} has no API key {} that is not revoked", a, id));
  auto e = accounts_.events().record(std::string(actor), "api_key.revoke", a,
                                     nlohmann::json{{"id", id}}.dump());
  if (!e) return e.error();
  return {};
}

Result<ApiKeyCheck> ApiKeys::authenticate(const Secret& presented, const IpAddress& source,
                                          std::string_view client) {
  auto token = parse_token(presented);
  Result<ApiKeyCheck> out = ApiKeyCheck{false, "not an API key"};
  if (token && token->kind == TokenKind::api_key)
    out = check(*token);
  else if (token)
    out = ApiKeyCheck{false, "an app password is not an API key"};
  else
    out = ApiKeyCheck{false, token.message()};
  if (!out) return out;
  if (out->ok) {
    if (out->note_use)
      (void)accounts_.parts().store.web().api_key_used(out->caller.key,
                                                       accounts_.parts().clock.unix_seconds());
  } else if (auto r = log_refusal(presented, source, client, out->reason); !r) {
    return r.error();
  }
  return out;
}

Result<ApiKeyCheck> ApiKeys::check(const Token& token) {
  store::WebStore& web = accounts_.parts().store.web();
  auto row = web.api_key(token.id);
  if (!row) return row.error();
  // Without a row, a stand-in is checked: the same keyd work, never a match.
  StoredToken stored{TokenKind::api_key, token.id, std::string(kApiPepper), std::string(32, '\0')};
  if (*row) stored = {TokenKind::api_key, (*row)->id, (*row)->key, (*row)->mac};
  // A key verified a moment ago is not sent to keyd again (the credential
  // cache, as for app passwords); revocation, expiry and the account's state
  // are read from the rows every time.
  CredentialCache* cache = accounts_.parts().cache;
  std::uint64_t generation = cache ? cache->generation() : 0;
  std::string user = "ak_" + token.id, note = "api-key " + token.id;
  if (!(*row && cache && cache->get(user, token.secret) == note)) {
    auto v = verify_token(accounts_.parts().keys, token, stored);
    if (!v) return v.error();
    if (!*row) return ApiKeyCheck{false, "no such API key"};
    if (!*v) return ApiKeyCheck{false, fmt::format("API key {}: wrong secret", token.id)};
    if (cache) cache->put(user, token.secret, note, generation);
  }
  const store::ApiKey& k = **row;
  if (k.revoked) return ApiKeyCheck{false, fmt::format("API key {} revoked", k.id)};
  std::int64_t now = accounts_.parts().clock.unix_seconds();
  if (k.expires && now >= *k.expires)
    return ApiKeyCheck{false, fmt::format("API key {} expired", k.id)};
  auto tenant = accounts_.parts().store.tenant(k.tenant);
  if (!tenant) return tenant.error();
  auto account = (*tenant)->security(k.account);
  if (!account) return account.error();
  if (!*account || (*account)->state != store::AccountState::active)
    return ApiKeyCheck{false, fmt::format("API key {}: account not active", k.id)};
  auto grants = parse_grants(k.grants);
  if (!grants) return ApiKeyCheck{false, fmt::format("API key {}: {}", k.id, grants.message())};
  bool note_use = !k.last_used || now - *k.last_used >= kLastUseResolution;
  return ApiKeyCheck{
      true, "", {k.tenant, k.account, k.address, std::move(*grants), k.id}, note_use};
}

Result<void> ApiKeys::log_refusal(const Secret& presented, const IpAddress& source,
                                  std::string_view client, const std::string& reason) {
  auto token = parse_token(presented);
  std::string who = token ? "ak_" + token->id : "bearer";
  store::LoginRecord record{0,
                            accounts_.parts().clock.unix_seconds(),
                            0,
                            who,
                            "api",
                            to_string(source),
                            std::string(client.substr(0, kMaxClient)),
                            "failed",
                            reason};
  return accounts_.parts().store.logs().log_login(record);
}

}  // namespace appliance::auth
