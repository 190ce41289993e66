// NAME
//   retention_test.cpp - the retention job: it removes what is due, under the
//   configured limits, and nothing else.
#include "auth/retention.h"

#include <gtest/gtest.h>

#include "auth/testing/service_fixture.h"

namespace appliance::auth {
namespace {

class RetentionTest : public testing::ServiceTest {
 protected:
  void login_at(std::int64_t time, const std::string& account) {
    store::LoginRecord r;
    r.time = time;
    r.account = account;
    r.protocol = "imap";
    r.source = "192.0.2.1";
    r.result = "ok";
    ASSERT_TRUE(store_->logs().log_login(r).ok());
  }
};

TEST_F(RetentionTest, RemovesWhatIsDueAndNothingElse) {
  add_account("open@example.test");
  add_account("closed@example.test");
  ASSERT_TRUE(accounts_->set_state("closed@example.test", store::AccountState::closed, "t").ok());
  clock_.advance(std::chrono::hours(24 * 6));
  std::int64_t now = clock_.unix_seconds();
  login_at(now - 91 * 86400, "open@example.test");
  login_at(now - 89 * 86400, "open@example.test");

  RetentionPolicy policy{90, 7};
  auto first = run_retention(*store_, *accounts_, clock_, policy).value();
  EXPECT_EQ(first.logins_removed, 1u);
  EXPECT_TRUE(first.accounts_destroyed.empty());
  EXPECT_EQ(store_->logs().logins("open@example.test", 10).value().size(), 1u);

  clock_.advance(std::chrono::hours(24));
  auto second = run_retention(*store_, *accounts_, clock_, policy).value();
  EXPECT_EQ(second.accounts_destroyed, std::vector<std::string>{"closed@example.test"});
  EXPECT_FALSE(tenant().security("closed@example.test").value());
  EXPECT_TRUE(tenant().security("open@example.test").value());
  // The security events stay: the destruction is itself one.
  auto events = accounts_->events().list(0, 100).value();
  EXPECT_EQ(events.back().event.action, "account.destroy");
  EXPECT_EQ(events.back().event.actor, "retention");
}

}  // namespace
}  // namespace appliance::auth
