// NAME
//   two_factor_test.cpp - TOTP enrolment, the web sign-in's second step with
//   a TOTP or recovery code, replays refused, and the web's password step.
#include "auth/two_factor.h"

#include <gtest/gtest.h>

#include "auth/encoding.h"
#include "auth/testing/service_fixture.h"
#include "auth/totp.h"

namespace appliance::auth {
namespace {

class TwoFactorTest : public testing::ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    factor_ = std::make_unique<TwoFactor>(*accounts_, throttle_, "Appliance");
  }
  // The seed an authenticator app reads from the URI.
  static Secret seed_of(const std::string& uri) {
    auto at = uri.find("secret=") + 7;
    return Secret(base32_decode(uri.substr(at, uri.find('&', at) - at)).value());
  }
  std::string code(const Secret& seed, std::int64_t offset = 0) {
    return hotp(seed, std::uint64_t(clock_.unix_seconds() / 30 + offset));
  }
  FactorOutcome second(const std::string& text) {
    auto out = factor_->verify({"alice@example.test", Secret(text), parse_ip("192.0.2.7").value(),
                               "Firefox"});
    EXPECT_TRUE(out.ok()) << out.message();
    return out.ok() ? *out : FactorOutcome{};
  }
  // Enrols alice; her seed and recovery codes.
  std::pair<Secret, std::vector<Secret>> enrol() {
    auto e = factor_->begin("alice@example.test").value();
    EXPECT_TRUE(e.uri.starts_with("otpauth://totp/Appliance:alice"));
    EXPECT_TRUE(e.qr_svg.starts_with("<svg"));
    Secret seed = seed_of(e.uri);
    auto c = factor_->confirm("alice@example.test", e.sealed, code(seed), "alice@example.test");
    EXPECT_TRUE(c.ok() && c->ok) << (c.ok() ? c->reason : c.message());
    return {std::move(seed), c.ok() ? std::move(c->recovery) : std::vector<Secret>{}};
  }

  std::unique_ptr<TwoFactor> factor_;
};

TEST_F(TwoFactorTest, EnrolmentNeedsTheFirstCode) {
  add_account("alice@example.test", "long enough password");
  auto e = factor_->begin("alice@example.test").value();
  EXPECT_FALSE(tenant().security("alice@example.test").value()->two_factor());
  auto wrong = factor_->confirm("alice@example.test", e.sealed, "000000", "t").value();
  EXPECT_FALSE(wrong.ok);
  EXPECT_EQ(wrong.reason, "the code does not match");
  auto moved = factor_->confirm("alice@example.test", {e.sealed.key, "x"}, "000000", "t").value();
  EXPECT_EQ(moved.reason, "no enrolment is pending; start again");
  auto c = factor_->confirm("alice@example.test", e.sealed, code(seed_of(e.uri)), "t").value();
  ASSERT_TRUE(c.ok);
  EXPECT_EQ(c.recovery.size(), 10u);
  EXPECT_TRUE(tenant().security("alice@example.test").value()->two_factor());
  EXPECT_EQ(factor_->confirm("alice@example.test", e.sealed, "1", "t").value().reason,
            "two-factor authentication is already on");
}

TEST_F(TwoFactorTest, WebPasswordStepAsksForTheSecondFactor) {
  add_account("alice@example.test", "long enough password");
  auto plain = login("alice@example.test", "long enough password", Protocol::web);
  EXPECT_TRUE(plain.ok);
  EXPECT_FALSE(plain.second_factor);
  enrol();
  auto web = login("alice@example.test", "long enough password", Protocol::web);
  EXPECT_TRUE(web.ok);
  EXPECT_TRUE(web.second_factor);
  EXPECT_FALSE(login("alice@example.test", "long enough password", Protocol::imap).ok);
  // An app password does not sign in to the web.
  std::string apw = app_password("alice@example.test", "imap,api");
  EXPECT_FALSE(login("alice@example.test", apw, Protocol::web).ok);
}

TEST_F(TwoFactorTest, CodesAreAcceptedOnceAndRecoveryCodesToo) {
  add_account("alice@example.test", "long enough password");
  auto [seed, recovery] = enrol();
  EXPECT_FALSE(second(code(seed)).ok);  // the step used to confirm
  clock_.advance(std::chrono::seconds(30));
  EXPECT_TRUE(second(code(seed)).ok);
  EXPECT_EQ(second(code(seed)).reason, "TOTP: this code was already used; wait for the next one");
  EXPECT_FALSE(second("123").ok);
  ASSERT_EQ(recovery.size(), 10u);
  EXPECT_TRUE(second(std::string(recovery[3].reveal())).ok);
  EXPECT_FALSE(second(std::string(recovery[3].reveal())).ok);
  auto logs = store_->logs().logins("alice@example.test", 20).value();
  EXPECT_EQ(logs.front().protocol, "web");
  EXPECT_EQ(logs.front().reason,
            "second factor: recovery code: the recovery code does not match, or was already used");
}

TEST_F(TwoFactorTest, WrongCodesAreThrottledAndDisableIsAnEvent) {
  add_account("alice@example.test", "long enough password");
  enrol();
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(second("000000").ok);
  auto held = second("000000");
  EXPECT_FALSE(held.ok);
  EXPECT_GT(held.retry_after.count(), 0);
  ASSERT_TRUE(factor_->disable("alice@example.test", "alice@example.test").ok());
  EXPECT_FALSE(tenant().security("alice@example.test").value()->two_factor());
  EXPECT_EQ(factor_->disable("alice@example.test", "t").message(),
            "two-factor authentication is not on");
  auto events = accounts_->events().list(0, 20).value();
  EXPECT_EQ(events[events.size() - 2].event.action, "totp.enable");
  EXPECT_EQ(events.back().event.action, "totp.disable");
}

}  // namespace
}  // namespace appliance::auth
