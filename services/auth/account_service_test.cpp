// NAME
//   account_service_test.cpp - changes to accounts: policy, precise errors,
//   security events, the chain check that catches a tampered event, and the
//   purge of closed accounts.
#include "auth/account_service.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>

#include "auth/testing/service_fixture.h"

namespace appliance::auth {
namespace {

class AccountServiceTest : public testing::ServiceTest {
 protected:
  void sql(const std::string& statement) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((root_ / "system.db").c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &error), SQLITE_OK) << error;
    sqlite3_free(error);
    sqlite3_close(db);
  }
};

TEST_F(AccountServiceTest, PasswordsAreCheckedByThePolicy) {
  add_account("alice@example.test");
  EXPECT_EQ(accounts_->set_password("alice@example.test", Secret("short"), "t").message(),
            "the password must have at least 12 characters (it has 5)");
  EXPECT_EQ(
      accounts_->set_password("bob@example.test", Secret("long enough password"), "t").message(),
      "no account bob@example.test");
  EXPECT_EQ(
      accounts_->set_password("bob@other.test", Secret("long enough password"), "t").message(),
      "other.test is not a domain of this appliance");
  ASSERT_TRUE(
      accounts_->set_password("alice@example.test", Secret("long enough password"), "t").ok());
  auto stored = tenant().security("alice@example.test").value()->password;
  EXPECT_EQ(stored.rfind("$argon2id-hmac-sha256$", 0), 0u);
  EXPECT_EQ(stored.find("long enough"), std::string::npos);
}

TEST_F(AccountServiceTest, PreciseErrors) {
  add_account("alice@example.test");
  add_account("bob@example.test");
  EXPECT_EQ(accounts_->add_alias("bob@example.test", "alice@example.test", "t").message(),
            "bob@example.test is an account, not an alias");
  ASSERT_TRUE(accounts_->add_alias("al@example.test", "alice@example.test", "t").ok());
  EXPECT_EQ(accounts_->add_alias("al@example.test", "alice@example.test", "t").message(),
            "alias al@example.test already leads to alice@example.test");
  EXPECT_EQ(accounts_->remove_alias("al@example.test", "bob@example.test", "t").message(),
            "alias al@example.test does not lead to bob@example.test");
  EXPECT_EQ(accounts_->remove_alias("xx@example.test", "", "t").message(),
            "no alias xx@example.test");
  EXPECT_EQ(accounts_->clear_catch_all("example.test", "t").message(),
            "example.test has no catch-all");
  EXPECT_EQ(accounts_->revoke_app_password("alice@example.test", "abcdefgh", "t").message(),
            "alice@example.test has no app password abcdefgh that is not revoked");
  EXPECT_EQ(accounts_->add_app_password("alice@example.test", "x", Scope{}, "t").message(),
            "an app password needs at least one protocol");

  auto other = store_->create_tenant("other").value();
  ASSERT_TRUE(store_->add_domain(other.id, "other.test").ok());
  ASSERT_TRUE(store_->tenant(other.id).value()->create_account("carol@other.test").ok());
  EXPECT_EQ(accounts_->add_alias("c@example.test", "carol@other.test", "t").message(),
            "c@example.test and carol@other.test belong to different tenants");
  EXPECT_EQ(accounts_->set_catch_all("example.test", "carol@other.test", "t").message(),
            "example.test and carol@other.test belong to different tenants");
}

TEST_F(AccountServiceTest, ChangesAreChainedSecurityEvents) {
  add_account("alice@example.test", "long enough password");
  app_password("alice@example.test", "imap");
  ASSERT_TRUE(accounts_->set_state("alice@example.test", store::AccountState::locked, "root").ok());
  auto events = accounts_->events().list(0, 10).value();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].event.action, "password.change");
  EXPECT_EQ(events[1].event.action, "app_password.create");
  EXPECT_EQ(events[2].event.action, "account.locked");
  EXPECT_EQ(events[2].event.actor, "root");
  EXPECT_EQ(events[2].event.target, "alice@example.test");
  EXPECT_EQ(events[1].prev_hash, events[0].hash);
  EXPECT_FALSE(accounts_->events().verify().value());
}

TEST_F(AccountServiceTest, ATamperedEventIsFoundAndNamed) {
  add_account("alice@example.test", "long enough password");
  for (int i = 0; i < 3; ++i) app_password("alice@example.test", "imap");
  ASSERT_FALSE(accounts_->events().verify().value());

  sql("UPDATE security_events SET actor = 'someone else' WHERE seq = 3");
  auto broken = accounts_->events().verify().value();
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->seq, 3u);
  EXPECT_NE(broken->reason.find("was edited"), std::string::npos) << broken->reason;

  sql("UPDATE security_events SET actor = 'test' WHERE seq = 3");
  ASSERT_FALSE(accounts_->events().verify().value());
  sql("DELETE FROM security_events WHERE seq = 2");
  broken = accounts_->events().verify().value();
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->seq, 3u);
  EXPECT_NE(broken->reason.find("missing"), std::string::npos) << broken->reason;
}

TEST_F(AccountServiceTest, ClosedAccountsArePurgedExactlyWhenDue) {
  add_account("old@example.test");
  add_account("edge@example.test");
  add_account("recent@example.test");
  add_account("open@example.test");
  ASSERT_TRUE(accounts_->set_state("old@example.test", store::AccountState::closed, "t").ok());
  clock_.advance(std::chrono::seconds(1));
  ASSERT_TRUE(accounts_->set_state("edge@example.test", store::AccountState::closed, "t").ok());
  clock_.advance(std::chrono::hours(24));
  ASSERT_TRUE(accounts_->set_state("recent@example.test", store::AccountState::closed, "t").ok());
  // "edge" was closed exactly 30 days ago now: due; "old" a second earlier; "recent" a day later.
  clock_.advance(std::chrono::hours(24 * 29));
  auto gone = accounts_->purge_closed(30, "t").value();
  EXPECT_EQ(gone, (std::vector<std::string>{"old@example.test", "edge@example.test"}));
  EXPECT_FALSE(tenant().security("old@example.test").value());
  EXPECT_TRUE(tenant().security("recent@example.test").value());
  EXPECT_TRUE(tenant().security("open@example.test").value());
  EXPECT_TRUE(accounts_->purge_closed(30, "t").value().empty());
  clock_.advance(std::chrono::hours(24));
  EXPECT_EQ(accounts_->purge_closed(30, "t").value(),
            std::vector<std::string>{"recent@example.test"});
  auto events = accounts_->events().list(0, 100).value();
  EXPECT_EQ(
      std::count_if(events.begin(), events.end(),
                    [](const ChainedEvent& e) { return e.event.action == "account.destroy"; }),
      3);
}

}  // namespace
}  // namespace appliance::auth
