// NAME
//   login_service_test.cpp - the rules of a protocol login, each with a test
//   that fails if it breaks: no enumeration, app password scope and expiry,
//   two-factor, state, throttle, cache, login log and new-place events.
#include "auth/login_service.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "auth/testing/service_fixture.h"
#include "store/testing/fixture.h"

namespace appliance::auth {
namespace {

using testing::ServiceTest;
using namespace std::chrono_literals;

constexpr const char* kGood = "correct horse battery staple";

class LoginTest : public ServiceTest {};

// Every field a daemon could pass on to a client, i.e. all but `reason`.
void expect_same_answer(const LoginOutcome& a, const LoginOutcome& b) {
  EXPECT_EQ(a.ok, b.ok);
  EXPECT_EQ(a.address, b.address);
  EXPECT_EQ(a.tenant, b.tenant);
  EXPECT_EQ(a.account, b.account);
  EXPECT_EQ(a.retry_after, b.retry_after);
}

TEST_F(LoginTest, PasswordLogin) {
  store::Id id = add_account("alice@example.test", kGood);
  auto out = login("Alice@Example.TEST", kGood);
  EXPECT_TRUE(out.ok) << out.reason;
  EXPECT_EQ(out.address, "alice@example.test");
  EXPECT_EQ(out.tenant, tenant_);
  EXPECT_EQ(out.account, id);
}

TEST_F(LoginTest, WrongPasswordAndUnknownUserAreIndistinguishable) {
  add_account("alice@example.test", kGood);
  add_account("nopass@example.test");
  keys_.calls = 0;
  auto wrong = login("alice@example.test", "not the password at all");
  int wrong_calls = std::exchange(keys_.calls, 0);
  auto unknown = login("mallory@example.test", "not the password at all");
  int unknown_calls = std::exchange(keys_.calls, 0);
  auto foreign = login("alice@elsewhere.test", "not the password at all");
  int foreign_calls = std::exchange(keys_.calls, 0);
  auto no_password = login("nopass@example.test", "not the password at all");
  int no_password_calls = std::exchange(keys_.calls, 0);

  EXPECT_FALSE(wrong.ok);
  expect_same_answer(wrong, unknown);
  expect_same_answer(wrong, foreign);
  expect_same_answer(wrong, no_password);
  EXPECT_EQ(wrong_calls, unknown_calls);
  EXPECT_EQ(wrong_calls, foreign_calls);
  EXPECT_EQ(wrong_calls, no_password_calls);
  EXPECT_EQ(wrong.reason, "wrong password");
  EXPECT_EQ(unknown.reason, "no such account");
  EXPECT_EQ(no_password.reason, "no password set");

  // The same for app passwords: a made-up one for an unknown user does the same keyd work.
  std::string token = app_password("alice@example.test", "imap");
  std::string forged = token.substr(0, token.size() - 1) + (token.back() == 'a' ? "b" : "a");
  keys_.calls = 0;
  auto bad_token = login("alice@example.test", forged);
  int bad_calls = std::exchange(keys_.calls, 0);
  auto stranger_token = login("mallory@example.test", forged);
  EXPECT_FALSE(bad_token.ok);
  expect_same_answer(bad_token, stranger_token);
  EXPECT_EQ(bad_calls, keys_.calls);
}

TEST_F(LoginTest, AppPasswordScopedToImapFailsOnSmtp) {
  add_account("alice@example.test", kGood);
  std::string token = app_password("alice@example.test", "imap");
  EXPECT_TRUE(login("alice@example.test", token, Protocol::imap).ok);
  auto smtp = login("alice@example.test", token, Protocol::smtp);
  EXPECT_FALSE(smtp.ok);
  EXPECT_NE(smtp.reason.find("smtp"), std::string::npos) << smtp.reason;
  EXPECT_FALSE(login("alice@example.test", token, Protocol::pop3).ok);
}

TEST_F(LoginTest, AppPasswordOutsideItsNetworkFails) {
  add_account("alice@example.test", kGood);
  std::string token = app_password("alice@example.test", "imap,smtp", "192.0.2.0/24");
  EXPECT_TRUE(login("alice@example.test", token, Protocol::smtp, "192.0.2.77").ok);
  EXPECT_FALSE(login("alice@example.test", token, Protocol::smtp, "198.51.100.1").ok);
  EXPECT_TRUE(login("alice@example.test", token, Protocol::smtp, "::ffff:192.0.2.5").ok);
}

TEST_F(LoginTest, ExpiredAppPasswordFails) {
  add_account("alice@example.test", kGood);
  std::string token = app_password("alice@example.test", "imap", "", clock_.unix_seconds() + 3600);
  EXPECT_TRUE(login("alice@example.test", token).ok);
  clock_.advance(3601s);
  auto late = login("alice@example.test", token);
  EXPECT_FALSE(late.ok);
  EXPECT_NE(late.reason.find("expired"), std::string::npos) << late.reason;
}

TEST_F(LoginTest, RevokedAppPasswordFailsAtOnceEvenWhenCached) {
  add_account("alice@example.test", kGood);
  std::string token = app_password("alice@example.test", "pop3");
  ASSERT_TRUE(login("alice@example.test", token, Protocol::pop3).ok);
  auto id = accounts_->app_passwords("alice@example.test").value().at(0).id;
  EXPECT_TRUE(accounts_->app_passwords("alice@example.test").value()[0].last_used);
  ASSERT_TRUE(accounts_->revoke_app_password("alice@example.test", id, "test").ok());
  auto out = login("alice@example.test", token, Protocol::pop3);
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.reason, "app password " + id + " revoked");
  // Another user cannot use alice's app password under their own name.
  add_account("bob@example.test", kGood);
  std::string bobs = app_password("alice@example.test", "pop3");
  EXPECT_FALSE(login("bob@example.test", bobs, Protocol::pop3).ok);
}

TEST_F(LoginTest, TwoFactorAllowsOnlyAppPasswordsOnProtocols) {
  store::Id id = add_account("alice@example.test", kGood);
  std::string token = app_password("alice@example.test", "imap,pop3,smtp");
  ASSERT_TRUE(tenant().set_totp(id, "seal/totp/v1", "sealed seed").ok());
  for (Protocol p : {Protocol::imap, Protocol::pop3, Protocol::smtp}) {
    auto out = login("alice@example.test", kGood, p);
    EXPECT_FALSE(out.ok);
    EXPECT_NE(out.reason.find("two-factor"), std::string::npos) << out.reason;
    EXPECT_TRUE(login("alice@example.test", token, p).ok);
  }
}

TEST_F(LoginTest, LockedAndClosedAccountsAreRefused) {
  add_account("alice@example.test", kGood);
  ASSERT_TRUE(accounts_->set_state("alice@example.test", store::AccountState::locked, "t").ok());
  EXPECT_EQ(login("alice@example.test", kGood).reason, "account locked");
  ASSERT_TRUE(accounts_->set_state("alice@example.test", store::AccountState::closed, "t").ok());
  EXPECT_EQ(login("alice@example.test", kGood).reason, "account closed");
  ASSERT_TRUE(accounts_->set_state("alice@example.test", store::AccountState::active, "t").ok());
  EXPECT_TRUE(login("alice@example.test", kGood).ok);
}

TEST_F(LoginTest, PasswordChangeDropsCachedCredentialsInEveryProcess) {
  add_account("alice@example.test", kGood);
  ASSERT_TRUE(login("alice@example.test", kGood).ok);
  keys_.calls = 0;
  ASSERT_TRUE(login("alice@example.test", kGood).ok);
  EXPECT_EQ(keys_.calls, 0);  // cached: no Argon2, no keyd
  // Another process (its own service and cache) changes the password.
  CredentialCache other_cache{clock_};
  AccountService other({*store_, keys_, clock_, policy_, {256, 1, 1}, &other_cache});
  ASSERT_TRUE(other.set_password("alice@example.test", Secret("a brand new passphrase"), "t").ok());
  EXPECT_FALSE(login("alice@example.test", kGood).ok);
  EXPECT_TRUE(login("alice@example.test", "a brand new passphrase").ok);
  // In this process the change drops the entry at once.
  ASSERT_TRUE(accounts_->set_password("alice@example.test", Secret(kGood), "t").ok());
  EXPECT_EQ(cache_.size(), 0u);
}

TEST_F(LoginTest, ThrottleHoldsRepeatedFailures) {
  add_account("alice@example.test", kGood);
  LoginOutcome out;
  for (int i = 0; i < 6 && out.retry_after == 0s; ++i)
    out = login("alice@example.test", "wrong guess number x");
  EXPECT_GT(out.retry_after, 0s);
  EXPECT_FALSE(login("alice@example.test", kGood).ok);  // held even with the right password
  auto logged = store_->logs().logins("alice@example.test", 1).value();
  EXPECT_EQ(logged.at(0).result, "throttled");
  clock_.advance(10min);
  EXPECT_TRUE(login("alice@example.test", kGood).ok);
}

TEST_F(LoginTest, EveryAttemptIsLogged) {
  add_account("alice@example.test", kGood);
  login("alice@example.test", kGood, Protocol::smtp, "192.0.2.10", "EHLO laptop.example");
  login("alice@example.test", "wrong password here", Protocol::pop3, "2001:db8::1", "");
  login("nobody@example.test", "whatever it is here", Protocol::imap, "192.0.2.11", "Mutt");
  auto all = store_->logs().logins("", 10).value();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2].account, "alice@example.test");
  EXPECT_EQ(all[2].protocol, "smtp");
  EXPECT_EQ(all[2].source, "192.0.2.10");
  EXPECT_EQ(all[2].client, "EHLO laptop.example");
  EXPECT_EQ(all[2].result, "ok");
  EXPECT_EQ(all[2].tenant, tenant_);
  EXPECT_EQ(all[1].protocol, "pop3");
  EXPECT_EQ(all[1].source, "2001:db8::1");
  EXPECT_EQ(all[1].result, "failed");
  EXPECT_EQ(all[1].reason, "wrong password");
  EXPECT_EQ(all[0].account, "nobody@example.test");
  EXPECT_EQ(all[0].reason, "no such account");
  EXPECT_EQ(all[0].tenant, 0);
}

TEST_F(LoginTest, ANewPlaceOrClientRaisesASecurityEvent) {
  add_account("alice@example.test", kGood);
  auto new_places = [&] {
    auto events = accounts_->events().list(0, 100);
    EXPECT_TRUE(events.ok());
    return events.ok()
               ? std::count_if(events->begin(), events->end(),
                               [](const auto& e) { return e.event.action == "login.new_place"; })
               : -1;
  };
  ASSERT_TRUE(login("alice@example.test", kGood, Protocol::imap, "192.0.2.10", "Thunderbird").ok);
  EXPECT_EQ(new_places(), 1);
  ASSERT_TRUE(login("alice@example.test", kGood, Protocol::imap, "192.0.2.10", "Thunderbird").ok);
  EXPECT_EQ(new_places(), 1);
  ASSERT_TRUE(login("alice@example.test", kGood, Protocol::imap, "203.0.113.5", "Thunderbird").ok);
  EXPECT_EQ(new_places(), 2);
  ASSERT_TRUE(login("alice@example.test", kGood, Protocol::imap, "192.0.2.10", "K-9 Mail").ok);
  EXPECT_EQ(new_places(), 3);
  login("alice@example.test", "wrong password here", Protocol::imap, "198.51.100.9", "x");
  EXPECT_EQ(new_places(), 3);  // a failure is no sign-in
  // A client's name that is not UTF-8 is recorded, not thrown on.
  ASSERT_TRUE(login("alice@example.test", kGood, Protocol::imap, "192.0.2.10", "Mutt \xff\xfe").ok);
  EXPECT_EQ(new_places(), 4);
  EXPECT_FALSE(accounts_->events().verify().value());
}

TEST_F(LoginTest, NoPasswordOrAppPasswordReachesTheStore) {
  const std::string password = "Zebra-Quokka-Marmalade-4711";
  add_account("alice@example.test", password.c_str());
  std::string token = app_password("alice@example.test", "imap");
  ASSERT_TRUE(login("alice@example.test", password, Protocol::smtp).ok);
  ASSERT_TRUE(login("alice@example.test", token).ok);
  login("alice@example.test", password + "-wrong");
  login("nobody@example.test", password);
  login("alice@example.test", token, Protocol::pop3);
  store_.reset();  // flushed and closed
  std::string raw = store::testing::all_files(root_);
  EXPECT_EQ(raw.find("Zebra-Quokka"), std::string::npos);
  EXPECT_EQ(raw.find(token.substr(13)), std::string::npos);  // the secret part
}

TEST_F(LoginTest, AnOlderHashIsReplacedAtTheNextLogin) {
  // Made with other Argon2 parameters than the service's.
  AccountService older({*store_, keys_, clock_, policy_, {512, 1, 1}, nullptr});
  tenant().create_account("alice@example.test").value();
  ASSERT_TRUE(older.set_password("alice@example.test", Secret(kGood), "t").ok());
  auto before = tenant().security("alice@example.test").value()->password;
  EXPECT_NE(before.find("m=512,"), std::string::npos);
  ASSERT_TRUE(login("alice@example.test", kGood).ok);
  auto after = tenant().security("alice@example.test").value()->password;
  EXPECT_NE(after.find("m=256,"), std::string::npos) << after;
  EXPECT_TRUE(login("alice@example.test", "correct horse battery staple").ok);
}

TEST_F(LoginTest, AThrottleLockIsASecurityEvent) {
  add_account("alice@example.test", kGood);
  ThrottleRules rules;
  rules.free_failures = 100;  // no back-off: straight to the lock
  rules.lock_threshold = 5;
  Throttle strict(clock_, rules);
  StoreLoginService logins(*accounts_, strict);
  LoginAttempt guess{"alice@example.test", Secret("a wrong guess here"), Protocol::imap,
                     parse_ip("192.0.2.66").value(), "x"};
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(logins.login(guess).ok());
  guess.password = Secret(kGood);
  EXPECT_GT(logins.login(guess).value().retry_after, std::chrono::seconds(0));
  auto events = accounts_->events().list(0, 1000).value();
  EXPECT_EQ(std::count_if(events.begin(), events.end(),
                          [](const ChainedEvent& e) {
                            return e.event.action == "login.throttle_lock" &&
                                   e.event.target == "alice@example.test";
                          }),
            1);
}

}  // namespace
}  // namespace appliance::auth
