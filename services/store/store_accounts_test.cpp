// NAME
//   store_accounts_test - the sign-in data on SQLite and on PostgreSQL:
//   credentials, state, role, two-factor data, app passwords, aliases,
//   catch-alls, the login log and the security events.
//
// DESCRIPTION
//   The same parameterised fixture as store_suite_test (store_suite.h), so
//   both backends run every test.
#include <fmt/format.h>

#include <thread>

#include "store/store_suite.h"

namespace appliance::store {
namespace {

class AccountsSuite : public testing::StoreSuite {};

INSTANTIATE_TEST_SUITE_P(Backends, AccountsSuite, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

TEST_P(AccountsSuite, CredentialsStateQuotaRole) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto s = t->security("alice@example.test").value();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->id, a.id);
  EXPECT_EQ(s->password, "");
  EXPECT_EQ(s->state, AccountState::active);
  EXPECT_EQ(s->role, Role::user);
  EXPECT_FALSE(s->two_factor());
  EXPECT_FALSE(t->security("bob@example.test").value());
  EXPECT_FALSE(t->security(Id{999}).value());

  ASSERT_TRUE(t->set_password(a.id, "$argon2id-hmac-sha256$stored").ok());
  ASSERT_TRUE(t->set_state(a.id, AccountState::closed, 1700000000).ok());
  ASSERT_TRUE(t->set_quota(a.id, 5ull << 30).ok());
  ASSERT_TRUE(t->set_role(a.id, Role::tenant_admin).ok());
  s = t->security(a.id).value();
  EXPECT_EQ(s->password, "$argon2id-hmac-sha256$stored");
  EXPECT_EQ(s->state, AccountState::closed);
  EXPECT_EQ(s->closed, 1700000000);
  EXPECT_EQ(s->quota, 5ull << 30);
  EXPECT_EQ(s->role, Role::tenant_admin);
  ASSERT_TRUE(t->set_state(a.id, AccountState::active, 1700000500).ok());
  EXPECT_EQ(t->security(a.id).value()->closed, 0);
  EXPECT_EQ(t->set_password(999, "x").message(), "no account 999");
  EXPECT_EQ(t->set_state(999, AccountState::locked, 0).message(), "no account 999");
}

TEST_P(AccountsSuite, TwoFactorSeedStepsAndRecoveryCodes) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  std::string sealed("\x01\x00sealed", 8);
  ASSERT_TRUE(t->set_totp(a.id, "seal/totp/v1", sealed).ok());
  auto s = t->security(a.id).value();
  EXPECT_TRUE(s->two_factor());
  EXPECT_EQ(s->totp_seed, sealed);
  EXPECT_EQ(s->totp_key, "seal/totp/v1");
  EXPECT_TRUE(t->advance_totp_step(a.id, 100).value());
  EXPECT_FALSE(t->advance_totp_step(a.id, 100).value());  // a replay
  EXPECT_FALSE(t->advance_totp_step(a.id, 99).value());
  EXPECT_TRUE(t->advance_totp_step(a.id, 101).value());

  std::vector<RecoveryCode> codes;
  for (int i = 0; i < 10; ++i)
    codes.push_back({i, "secret/api-pepper/v1", std::string(32, 'a' + i)});
  ASSERT_TRUE(t->set_recovery_codes(a.id, codes).ok());
  EXPECT_EQ(t->recovery_codes(a.id).value().size(), 10u);
  EXPECT_TRUE(t->use_recovery_code(a.id, 3).value());
  EXPECT_FALSE(t->use_recovery_code(a.id, 3).value());
  auto stored = t->recovery_codes(a.id).value();
  EXPECT_TRUE(stored[3].used);
  EXPECT_FALSE(stored[4].used);
  EXPECT_EQ(stored[4].mac, std::string(32, 'e'));

  ASSERT_TRUE(t->set_totp(a.id, "", "").ok());  // off: the codes go too
  EXPECT_FALSE(t->security(a.id).value()->two_factor());
  EXPECT_TRUE(t->recovery_codes(a.id).value().empty());
  EXPECT_EQ(t->set_recovery_codes(999, codes).message(), "no account 999");
}

TEST_P(AccountsSuite, ContactEmailAndEmailTokens) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  EXPECT_EQ(t->security(a.id).value()->contact_email, "");
  ASSERT_TRUE(t->set_contact_email(a.id, "alice@elsewhere.test").ok());
  EXPECT_EQ(t->security("alice@example.test").value()->contact_email, "alice@elsewhere.test");
  EXPECT_EQ(t->set_contact_email(999, "x@y.test").message(), "no account 999");

  EXPECT_FALSE(t->email_token(a.id, "reset").value());
  EmailToken token{
      a.id,      "reset", "alice@elsewhere.test", "secret/api-pepper/v1", std::string(32, '\x01'),
      1700001800};
  ASSERT_TRUE(t->put_email_token(token).ok());
  auto got = t->email_token(a.id, "reset").value();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->address, "alice@elsewhere.test");
  EXPECT_EQ(got->mac, std::string(32, '\x01'));
  EXPECT_EQ(got->expires, 1700001800);
  EXPECT_FALSE(got->used);
  EXPECT_FALSE(t->email_token(a.id, "contact").value());
  EXPECT_FALSE(t->use_email_token(a.id, "reset", std::string(32, '\x02')).value());
  EXPECT_TRUE(t->use_email_token(a.id, "reset", std::string(32, '\x01')).value());
  EXPECT_FALSE(t->use_email_token(a.id, "reset", std::string(32, '\x01')).value());  // once
  EXPECT_TRUE(t->email_token(a.id, "reset").value()->used);

  // A new request replaces the old one, unused again.
  token.mac = std::string(32, '\x03'), token.address = "new@elsewhere.test";
  ASSERT_TRUE(t->put_email_token(token).ok());
  got = t->email_token(a.id, "reset").value();
  EXPECT_FALSE(got->used);
  EXPECT_EQ(got->address, "new@elsewhere.test");
  token.account = 999;
  EXPECT_EQ(t->put_email_token(token).message(), "no account 999");
  ASSERT_TRUE(t->destroy_account(a.id).ok());
  EXPECT_FALSE(t->email_token(a.id, "reset").value());
}

TEST_P(AccountsSuite, AppPasswords) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto [b, binbox] = account(*t, "bob@example.test");
  AppPassword p{
      "abcdefgh",     a.id,       "phone",   "secret/api-pepper/v1", std::string(32, '\0'), 1 | 4,
      "192.0.2.0/24", 1800000000, 1700000000};
  ASSERT_TRUE(t->add_app_password(p).ok());
  EXPECT_FALSE(t->add_app_password(p).ok());  // the id is taken
  p.id = "ijklmnop", p.expires.reset(), p.networks = "";
  ASSERT_TRUE(t->add_app_password(p).ok());
  p.account = 999, p.id = "qrstuvwx";
  EXPECT_EQ(t->add_app_password(p).message(), "no account 999");

  auto got = t->app_password("abcdefgh").value();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->account, a.id);
  EXPECT_EQ(got->mac, std::string(32, '\0'));
  EXPECT_EQ(got->protocols, 5u);
  EXPECT_EQ(got->networks, "192.0.2.0/24");
  EXPECT_EQ(got->expires, 1800000000);
  EXPECT_FALSE(got->last_used);
  EXPECT_FALSE(t->app_password("nothere2").value());
  EXPECT_EQ(t->app_passwords(a.id).value().size(), 2u);
  EXPECT_TRUE(t->app_passwords(b.id).value().empty());

  ASSERT_TRUE(t->app_password_used("abcdefgh", 1700000100).ok());
  EXPECT_EQ(t->app_password("abcdefgh").value()->last_used, 1700000100);
  EXPECT_FALSE(t->revoke_app_password(b.id, "abcdefgh", 1700000200).value());  // not bob's
  EXPECT_TRUE(t->revoke_app_password(a.id, "abcdefgh", 1700000200).value());
  EXPECT_FALSE(t->revoke_app_password(a.id, "abcdefgh", 1700000300).value());
  EXPECT_EQ(t->app_password("abcdefgh").value()->revoked, 1700000200);
}

TEST_P(AccountsSuite, AliasesAndCatchAlls) {
  auto t = tenant("example");
  auto [a, ai] = account(*t, "alice@example.test");
  auto [b, bi] = account(*t, "bob@example.test");
  ASSERT_TRUE(t->add_alias("team@example.test", a.id).ok());
  ASSERT_TRUE(t->add_alias("team@example.test", b.id).ok());
  ASSERT_TRUE(t->add_alias("al@example.test", a.id).ok());
  EXPECT_FALSE(t->add_alias("al@example.test", a.id).ok());
  EXPECT_EQ(t->add_alias("x@example.test", 999).message(), "no account 999");
  auto team = t->alias("team@example.test").value();
  ASSERT_EQ(team.size(), 2u);
  EXPECT_EQ(team[0].target, "alice@example.test");
  EXPECT_EQ(team[1].target, "bob@example.test");
  EXPECT_EQ(t->aliases().value().size(), 3u);
  EXPECT_EQ(t->remove_alias("team@example.test", b.id).value(), 1u);
  EXPECT_EQ(t->alias("team@example.test").value().size(), 1u);
  EXPECT_EQ(t->remove_alias("team@example.test", std::nullopt).value(), 1u);
  EXPECT_EQ(t->remove_alias("team@example.test", std::nullopt).value(), 0u);

  EXPECT_FALSE(t->catch_all("example.test").value());
  ASSERT_TRUE(t->set_catch_all("example.test", a.id).ok());
  ASSERT_TRUE(t->set_catch_all("example.test", b.id).ok());  // replaces
  EXPECT_EQ(t->catch_all("example.test").value()->target, "bob@example.test");
  EXPECT_EQ(t->catch_alls().value().size(), 1u);
  EXPECT_TRUE(t->clear_catch_all("example.test").value());
  EXPECT_FALSE(t->clear_catch_all("example.test").value());

  // Destroying an account takes its aliases, catch-alls and app passwords with it.
  ASSERT_TRUE(t->set_catch_all("example.test", a.id).ok());
  ASSERT_TRUE(t->destroy_account(a.id).ok());
  EXPECT_TRUE(t->aliases().value().empty());
  EXPECT_FALSE(t->catch_all("example.test").value());
}

LoginRecord login(std::int64_t time, std::string account, std::string source,
                  std::string result = "ok") {
  return {0,
          time,
          1,
          std::move(account),
          "imap",
          std::move(source),
          "Thunderbird",
          std::move(result),
          result == "ok" ? "" : "wrong password"};
}

TEST_P(AccountsSuite, LoginLogLastLoginsHistoryAndPurge) {
  auto& logs = store_->logs();
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(logs.log_login(login(1000 + i, "alice@x.test", "192.0.2.1")).ok());
  ASSERT_TRUE(logs.log_login(login(1010, "bob@x.test", "198.51.100.7", "failed")).ok());
  ASSERT_TRUE(logs.log_login(login(2000, "alice@x.test", "203.0.113.9")).ok());
  ASSERT_TRUE(logs.log_login(login(1011, "carol@x.test", "192.0.2.3")).ok());

  auto last = logs.logins("alice@x.test", 3).value();
  ASSERT_EQ(last.size(), 3u);
  EXPECT_EQ(last[0].time, 2000);  // newest first
  EXPECT_EQ(last[0].source, "203.0.113.9");
  EXPECT_EQ(last[1].time, 1004);
  EXPECT_EQ(last[0].client, "Thunderbird");
  EXPECT_EQ(logs.logins("", 100).value().size(), 8u);
  auto bob = logs.logins("bob@x.test", 10).value();
  ASSERT_EQ(bob.size(), 1u);
  EXPECT_EQ(bob[0].result, "failed");
  EXPECT_EQ(bob[0].reason, "wrong password");

  auto h = logs.history("alice@x.test", "192.0.2.1", "Thunderbird").value();
  EXPECT_TRUE(h.source && h.client);
  h = logs.history("alice@x.test", "192.0.2.2", "Mutt").value();
  EXPECT_FALSE(h.source || h.client);
  EXPECT_TRUE(h.any);
  auto bob_history = logs.history("bob@x.test", "198.51.100.7", "Thunderbird").value();
  EXPECT_FALSE(bob_history.source || bob_history.any);  // bob's one attempt failed

  // Exactly the entries older than the limit go: 1000..1004 and 1010; 1011 (at the
  // limit) and 2000 stay.
  EXPECT_EQ(logs.purge_logins(1011).value(), 6u);
  auto rest = logs.logins("", 100).value();
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].time, 2000);
  EXPECT_EQ(rest[1].time, 1011);
  EXPECT_EQ(logs.purge_logins(1011).value(), 0u);
  EXPECT_EQ(logs.purge_logins(1012).value(), 1u);
}

EventRow next_event(const std::optional<EventRow>& last, std::string action) {
  EventRow e;
  e.seq = last ? last->seq + 1 : 1;
  e.time = 1700000000;
  e.actor = "appliancectl";
  e.action = std::move(action);
  e.target = "alice@example.test";
  e.details = "{}";
  e.prev_hash = last ? last->hash : std::string(32, '\0');
  e.hash = std::string(31, 'h') + static_cast<char>(e.seq);
  return e;
}

TEST_P(AccountsSuite, SecurityEventsAppendInOrder) {
  auto& logs = store_->logs();
  EXPECT_TRUE(logs.events(0, 10).value().empty());
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(logs.append_event([&](const auto& last) {
                      return Result<EventRow>(next_event(last, "password.change"));
                    })
                    .ok());
  // A failing maker adds nothing.
  EXPECT_FALSE(
      logs.append_event([](const auto&) -> Result<EventRow> { return make_error("no"); }).ok());
  auto all = logs.events(0, 10).value();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2].seq, 3u);
  EXPECT_EQ(all[2].prev_hash, all[1].hash);
  EXPECT_EQ(all[0].prev_hash, std::string(32, '\0'));
  EXPECT_EQ(logs.events(1, 1).value()[0].seq, 2u);

  // Concurrent appends each link to the one before.
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      for (int j = 0; j < 5; ++j)
        EXPECT_TRUE(logs.append_event([](const auto& last) {
                          return Result<EventRow>(next_event(last, "login.new_place"));
                        })
                        .ok());
    });
  for (auto& th : threads) th.join();
  all = logs.events(0, 100).value();
  ASSERT_EQ(all.size(), 23u);
  for (std::size_t i = 1; i < all.size(); ++i) {
    EXPECT_EQ(all[i].seq, i + 1);
    EXPECT_EQ(all[i].prev_hash, all[i - 1].hash);
  }
}

}  // namespace
}  // namespace appliance::store
