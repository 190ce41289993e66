// NAME
//   api_keys_test.cpp - API keys: rights as a subset of the creator's,
//   expiry, revocation, and refusals that are logged.
#include "auth/api_keys.h"

#include <gtest/gtest.h>

#include "auth/testing/service_fixture.h"

namespace appliance::auth {
namespace {

class ApiKeysTest : public testing::ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    keys_api_ = std::make_unique<ApiKeys>(*accounts_);
  }
  ApiKeyCheck use(const Secret& key) {
    auto out = keys_api_->authenticate(key, parse_ip("192.0.2.9").value(), "curl");
    EXPECT_TRUE(out.ok()) << out.message();
    return out.ok() ? *out : ApiKeyCheck{};
  }
  std::unique_ptr<ApiKeys> keys_api_;
};

TEST_F(ApiKeysTest, GrantsMustBeASubsetOfTheCreators) {
  add_account("alice@example.test");
  EXPECT_EQ(keys_api_->create("alice@example.test", "ci", {}, {}, "t").message(),
            "an API key needs at least one grant");
  EXPECT_FALSE(
      keys_api_->create("alice@example.test", "ci", {{Role::appliance_admin, {}}}, {}, "t").ok());
  ASSERT_TRUE(accounts_->set_role("alice@example.test", store::Role::tenant_admin, "t").ok());
  auto made = keys_api_->create("alice@example.test", "ci",
                                {{Role::tenant_admin, "acme"}, {Role::user, {}}}, {}, "t");
  ASSERT_TRUE(made.ok()) << made.message();
  EXPECT_TRUE(made->text.reveal().starts_with("ak_" + made->stored.id + "_"));
  auto ok = use(made->text);
  ASSERT_TRUE(ok.ok) << ok.reason;
  EXPECT_EQ(ok.caller.address, "alice@example.test");
  EXPECT_EQ(grants_text(ok.caller.grants), "tenant-admin:acme,user");
  EXPECT_FALSE(
      keys_api_->create("alice@example.test", "x", {{Role::tenant_admin, "other"}}, {}, "t").ok());
}

TEST_F(ApiKeysTest, LastUseIsWrittenAtMostOnceAMinute) {
  add_account("alice@example.test");
  auto made = keys_api_->create("alice@example.test", "ci", {{Role::user, {}}}, {}, "t").value();
  auto last_used = [&] { return keys_api_->list("alice@example.test").value().front().last_used; };
  EXPECT_FALSE(last_used());
  EXPECT_TRUE(use(made.text).note_use);
  std::int64_t first = clock_.unix_seconds();
  EXPECT_EQ(last_used(), first);
  clock_.advance(std::chrono::seconds(kLastUseResolution - 1));
  EXPECT_FALSE(use(made.text).note_use);  // a read, no write
  EXPECT_EQ(last_used(), first);
  clock_.advance(std::chrono::seconds(1));
  EXPECT_TRUE(use(made.text).note_use);
  EXPECT_EQ(last_used(), clock_.unix_seconds());
}

TEST_F(ApiKeysTest, AKeyVerifiedAMomentAgoSkipsKeydButNotTheRowChecks) {
  add_account("alice@example.test");
  auto made = keys_api_->create("alice@example.test", "ci", {{Role::user, {}}}, {}, "t").value();
  int before = keys_.calls;
  EXPECT_TRUE(use(made.text).ok);
  EXPECT_EQ(keys_.calls, before + 1);
  EXPECT_TRUE(use(made.text).ok);
  EXPECT_EQ(keys_.calls, before + 1);  // from the cache
  std::string forged(made.text.reveal());
  forged.back() = forged.back() == 'a' ? 'b' : 'a';
  EXPECT_EQ(use(Secret(forged)).reason, "API key " + made.stored.id + ": wrong secret");
  ASSERT_TRUE(keys_api_->revoke("alice@example.test", made.stored.id, "t").ok());
  EXPECT_EQ(use(made.text).reason, "API key " + made.stored.id + " revoked");
}

TEST_F(ApiKeysTest, ExpiredRevokedAndUnknownKeysAreRefused) {
  add_account("alice@example.test");
  EXPECT_EQ(
      keys_api_
          ->create("alice@example.test", "x", {{Role::user, {}}}, clock_.unix_seconds() - 1, "t")
          .message(),
      "the expiry must be in the future");
  auto made =
      keys_api_
          ->create("alice@example.test", "ci", {{Role::user, {}}}, clock_.unix_seconds() + 60, "t")
          .value();
  EXPECT_TRUE(use(made.text).ok);
  EXPECT_TRUE(keys_api_->list("alice@example.test").value().front().last_used);
  clock_.advance(std::chrono::seconds(60));
  EXPECT_EQ(use(made.text).reason, "API key " + made.stored.id + " expired");

  auto other = keys_api_->create("alice@example.test", "ci", {{Role::user, {}}}, {}, "t").value();
  ASSERT_TRUE(keys_api_->revoke("alice@example.test", other.stored.id, "t").ok());
  EXPECT_EQ(use(other.text).reason, "API key " + other.stored.id + " revoked");
  EXPECT_FALSE(keys_api_->revoke("alice@example.test", other.stored.id, "t").ok());

  std::string forged(other.text.reveal());
  forged.back() = forged.back() == 'a' ? 'b' : 'a';
  EXPECT_EQ(use(Secret(forged)).reason, "API key " + other.stored.id + ": wrong secret");
  EXPECT_EQ(use(Secret("ak_aaaaaaaa_" + std::string(32, 'a'))).reason, "no such API key");
  EXPECT_EQ(use(Secret("nonsense")).ok, false);
  auto logs = store_->logs().logins("", 10).value();
  EXPECT_EQ(logs.front().protocol, "api");
  EXPECT_EQ(logs.front().result, "failed");

  ASSERT_TRUE(accounts_->set_state("alice@example.test", store::AccountState::locked, "t").ok());
  auto third = keys_api_->create("alice@example.test", "ci", {{Role::user, {}}}, {}, "t").value();
  EXPECT_EQ(use(third.text).reason, "API key " + third.stored.id + ": account not active");
}

}  // namespace
}  // namespace appliance::auth
