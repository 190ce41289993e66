// NAME
//   directory_service_test.cpp - resolve() (accounts, aliases, +tags,
//   catch-alls) and may_send_as().
#include "auth/directory_service.h"

#include <gtest/gtest.h>

#include "auth/testing/service_fixture.h"

namespace appliance::auth {
namespace {

class DirectoryTest : public testing::ServiceTest {
 protected:
  std::vector<std::string> to(const std::string& address) {
    auto r = directory_->resolve(address);
    EXPECT_TRUE(r.ok()) << r.message();
    std::vector<std::string> out;
    if (r.ok())
      for (const auto& x : r->recipients) out.push_back(x.address);
    return out;
  }
  using V = std::vector<std::string>;
};

TEST_F(DirectoryTest, AccountsThenAliasesThenCatchAll) {
  add_account("alice@example.test");
  add_account("bob@example.test");
  ASSERT_TRUE(accounts_->add_alias("team@example.test", "alice@example.test", "t").ok());
  ASSERT_TRUE(accounts_->add_alias("Team@example.test", "bob@example.test", "t").ok());
  EXPECT_EQ(to("ALICE@example.test"), V{"alice@example.test"});
  EXPECT_EQ(to("team@example.test"), (V{"alice@example.test", "bob@example.test"}));
  EXPECT_EQ(to("alice+lists@example.test"), V{"alice@example.test"});
  EXPECT_EQ(to("team+x@example.test"), (V{"alice@example.test", "bob@example.test"}));
  EXPECT_TRUE(to("nobody@example.test").empty());
  EXPECT_TRUE(directory_->resolve("nobody@example.test")->local_domain);
  EXPECT_FALSE(directory_->resolve("alice@elsewhere.test")->local_domain);

  ASSERT_TRUE(accounts_->set_catch_all("example.test", "bob@example.test", "t").ok());
  EXPECT_EQ(to("nobody@example.test"), V{"bob@example.test"});
  EXPECT_EQ(to("alice@example.test"), V{"alice@example.test"});  // accounts come first
  ASSERT_TRUE(accounts_->clear_catch_all("example.test", "t").ok());
  EXPECT_TRUE(to("nobody@example.test").empty());

  ASSERT_TRUE(accounts_->set_state("alice@example.test", store::AccountState::closed, "t").ok());
  EXPECT_TRUE(to("alice@example.test").empty());
}

TEST_F(DirectoryTest, MaySendAsItsAddressAndItsAliasesOnly) {
  add_account("alice@example.test");
  add_account("bob@example.test");
  ASSERT_TRUE(accounts_->add_alias("sales@example.test", "alice@example.test", "t").ok());
  ASSERT_TRUE(accounts_->set_catch_all("example.test", "alice@example.test", "t").ok());
  EXPECT_TRUE(*directory_->may_send_as("alice@example.test", "Alice@Example.test"));
  EXPECT_TRUE(*directory_->may_send_as("alice@example.test", "sales@example.test"));
  EXPECT_FALSE(*directory_->may_send_as("bob@example.test", "sales@example.test"));
  EXPECT_FALSE(*directory_->may_send_as("alice@example.test", "bob@example.test"));
  EXPECT_FALSE(*directory_->may_send_as("alice@example.test", "anything@example.test"));
  EXPECT_FALSE(*directory_->may_send_as("alice@example.test", "alice@elsewhere.test"));
}

}  // namespace
}  // namespace appliance::auth
