// NAME
//   login_service.cpp - one login: throttle, find the account, check the
//   credential on its path, apply the account's rules, log, note new places.
#include "auth/login_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <random>

#include "common/log.h"
#include "store/inbox.h"

namespace appliance::auth {
namespace {

constexpr std::size_t kMaxClient = 200;  // the log keeps what identifies a client, not a payload
constexpr std::size_t kMaxUser = 256;    // an RFC 5321 path; longer is no account of ours

std::string app_note(const std::string& id) {
  return "apw:" + id;
}

Result<Scope> scope_of(const store::AppPassword& row) {
  Scope scope{row.protocols, {}, row.expires};
  for (std::size_t start = 0; start < row.networks.size();) {
    auto comma = std::min(row.networks.find(',', start), row.networks.size());
    auto net = parse_cidr(std::string_view(row.networks).substr(start, comma - start));
    if (!net) return make_error(fmt::format("app password {}: {}", row.id, net.message()));
    scope.networks.push_back(*net);
    start = comma + 1;
  }
  return scope;
}

// The rule an account's state imposes after its credential checked out.
std::string state_refusal(const store::AccountSecurity& a) {
  if (a.state == store::AccountState::locked) return "account locked";
  if (a.state == store::AccountState::closed) return "account closed";
  return "";
}

}  // namespace

Result<LoginOutcome> StoreLoginService::login(const LoginAttempt& attempt) {
  const std::string user = lower(std::string_view(attempt.user).substr(0, kMaxUser));
  LoginOutcome out;
  auto gate = throttle_.check(user, attempt.source);
  if (!gate.allowed) {
    out.retry_after = gate.retry_after;
    out.reason = gate.reason;
    if (auto r = log(attempt, user, out, "throttled"); !r) return r.error();
    return out;
  }
  auto where = accounts_.find(user);
  if (!where) return where.error();
  auto checked = check(attempt, user, *where);
  if (!checked) return checked.error();
  out.reason = checked->reason;
  if (!checked->ok) {
    bool locked = throttle_.failure(user, attempt.source);
    if (locked && *where && (*where)->account)
      (void)accounts_.events().record("auth", "login.throttle_lock", user);
    if (auto r = log(attempt, user, out, "failed"); !r) return r.error();
    return out;
  }
  const auto& account = *(*where)->account;
  throttle_.success(user, attempt.source);
  out.ok = true;
  out.address = account.address;
  out.tenant = (*where)->domain.tenant;
  out.account = account.id;
  out.second_factor = checked->second_factor;
  note_new_place(attempt, **where);
  if (!checked->app_password.empty())
    (void)(*where)->tenant->app_password_used(checked->app_password,
                                              accounts_.parts().clock.unix_seconds());
  if (auto r = log(attempt, user, out, "ok"); !r) return r.error();
  return out;
}

Result<StoreLoginService::Check> StoreLoginService::check(const LoginAttempt& attempt,
                                                          const std::string& user,
                                                          const std::optional<Located>& where) {
  const Located* w = where ? &*where : nullptr;
  if (attempt.protocol != Protocol::web && attempt.password.reveal().starts_with("apw_"))
    if (auto token = parse_token(attempt.password); token && token->kind == TokenKind::app_password)
      return check_app_password(attempt, *token, user, w);
  return check_password(attempt, user, w && w->account ? w : nullptr);
}

Result<StoreLoginService::Check> StoreLoginService::check_password(const LoginAttempt& attempt,
                                                                   const std::string& user,
                                                                   const Located* where) {
  PasswordHasher& hasher = accounts_.hasher();
  const store::AccountSecurity* account = where ? &*where->account : nullptr;
  if (!account || account->password.empty()) {
    auto v = hasher.verify_unknown(attempt.password);  // the same work as a real check
    if (!v) return v.error();
    return Check{false, account ? "no password set" : "no such account"};
  }
  CredentialCache* cache = accounts_.parts().cache;
  std::uint64_t generation = cache ? cache->generation() : 0;
  bool cached = cache && cache->get(user, attempt.password) == account->password;
  if (!cached) {
    auto v = hasher.verify(attempt.password, account->password);
    if (!v) return v.error();
    if (!v->ok) return Check{false, "wrong password"};
    if (v->needs_rehash) (void)accounts_.rehash(*where, attempt.password);
    remember(user, attempt.password, account->password, generation);
  }
  if (auto refusal = state_refusal(*account); !refusal.empty()) return Check{false, refusal};
  if (account->two_factor() && attempt.protocol == Protocol::web)
    return Check{true, "password checked, second factor due", "", true};
  if (account->two_factor())
    return Check{false, "two-factor authentication is on: only app passwords sign in here"};
  return Check{true};
}

Result<StoreLoginService::Check> StoreLoginService::check_app_password(const LoginAttempt& attempt,
                                                                       const Token& token,
                                                                       const std::string& user,
                                                                       const Located* where) {
  std::optional<store::AppPassword> row;
  if (where && where->account) {
    auto found = where->tenant->app_password(token.id);
    if (!found) return found.error();
    if (*found && (*found)->account == where->account->id) row = std::move(*found);
  }
  // Without a row of this account, a stand-in is checked: the same keyd work, never a match.
  StoredToken stored{TokenKind::app_password, token.id, std::string(kApiPepper),
                     std::string(32, '\0')};
  if (row) stored = {TokenKind::app_password, row->id, row->key, row->mac};
  CredentialCache* cache = accounts_.parts().cache;
  std::uint64_t generation = cache ? cache->generation() : 0;
  bool cached = row && cache && cache->get(user, attempt.password) == app_note(row->id);
  if (!cached) {
    auto v = verify_token(accounts_.parts().keys, token, stored);
    if (!v) return v.error();
    if (!row)
      return Check{false, where && where->account ? "no such app password" : "no such account"};
    if (!*v) return Check{false, "wrong app password"};
    remember(user, attempt.password, app_note(row->id), generation);
  }
  if (row->revoked) return Check{false, fmt::format("app password {} revoked", row->id)};
  auto scope = scope_of(*row);
  if (!scope) return Check{false, scope.message()};
  if (auto in = check_scope(*scope, attempt.protocol, attempt.source,
                            accounts_.parts().clock.unix_seconds());
      !in)
    return Check{false, fmt::format("app password {}: {}", row->id, in.message())};
  if (auto refusal = state_refusal(*where->account); !refusal.empty()) return Check{false, refusal};
  return Check{true, "", row->id};
}

void StoreLoginService::remember(const std::string& user, const Secret& credential,
                                 std::string note, std::uint64_t generation) {
  if (auto* cache = accounts_.parts().cache)
    cache->put(user, credential, std::move(note), generation);
}

Result<void> StoreLoginService::log(const LoginAttempt& attempt, const std::string& user,
                                    const LoginOutcome& outcome, std::string_view result) {
  store::LoginRecord record{0,
                            accounts_.parts().clock.unix_seconds(),
                            outcome.tenant,
                            outcome.ok ? outcome.address : user,
                            protocols_to_string(attempt.protocol),
                            to_string(attempt.source),
                            attempt.client.substr(0, kMaxClient),
                            std::string(result),
                            outcome.reason};
  return accounts_.parts().store.logs().log_login(record);
}

// Best effort: the login stands even if the event cannot be written.
void StoreLoginService::note_new_place(const LoginAttempt& attempt, const Located& where) {
  const std::string& address = where.account->address;
  std::string source = to_string(attempt.source), client = attempt.client.substr(0, kMaxClient);
  auto seen = accounts_.parts().store.logs().history(address, source, client);
  if (!seen) {
    log::warning("login history unavailable", {{"account", address}, {"reason", seen.message()}});
    return;
  }
  if (seen->source && seen->client) return;
  nlohmann::json details = {{"protocol", protocols_to_string(attempt.protocol)},
                            {"source", source},
                            {"client", client},
                            {"new_source", !seen->source},
                            {"new_client", !seen->client}};
  // The client's text is the client's own bytes: not always UTF-8, which
  // dump() would throw on. Replaced, not thrown, on a worker thread.
  std::string text = details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (auto e = accounts_.events().record(address, "login.new_place", address, text); !e)
    log::warning("security event not recorded", {{"account", address}, {"reason", e.message()}});
  if (notices_ && seen->any)
    send_notice({address, accounts_.parts().clock.unix_seconds(), protocols_to_string(attempt.protocol),
                 source, client, !seen->source, !seen->client},
                where);
}

// Best effort as well: into the INBOX, as a delivered message.
void StoreLoginService::send_notice(const SignInFacts& facts, const Located& where) {
  store::TenantStore& tenant = *where.tenant;
  store::Id account = where.account->id;
  auto fail = [&](const std::string& why) {
    log::warning("sign-in notice not delivered", {{"account", facts.address}, {"reason", why}});
  };
  std::string id = fmt::format("sign-in.{}.{}.{}@{}", facts.time, account, std::random_device{}(),
                               where.domain.name);
  auto stored = store::append_to_inbox(tenant, account, sign_in_notice(facts, id), facts.time);
  if (!stored) return fail(stored.message());
}

}  // namespace appliance::auth
