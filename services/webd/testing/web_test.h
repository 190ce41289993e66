// NAME
//   web_test.h - the REST API's parts (WebParts) over the account service's
//   test fixture: a real SQLite store, keys in memory, a clock moved by hand.
#pragma once

#include <memory>

#include "auth/testing/service_fixture.h"
#include "webd/api.h"
#include "webd/operations.h"
#include "webd/store_totals.h"

namespace appliance::webd::testing {

class WebTest : public auth::testing::ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    two_factor_ = std::make_unique<auth::TwoFactor>(*accounts_, throttle_, "Appliance");
    api_keys_ = std::make_unique<auth::ApiKeys>(*accounts_);
    confirmations_ =
        std::make_unique<auth::EmailConfirmations>(*accounts_, throttle_, *two_factor_);
    sessions_ = std::make_unique<Sessions>(store_->web(), keys_, clock_);
    parts_ = std::make_unique<WebParts>(WebParts{*store_, *accounts_, *logins_, *two_factor_,
                                                 *api_keys_, *confirmations_, *sessions_, clock_});
    // The dashboard's sources: health reports under root_/health, written by the test.
    ops_.health_dir = root_ / "health";
    ops_.store_dir = root_;
    ops_.boot_id = "0f3c5a7e-1111-2222-3333-444455556666";
    ops_.boottime_ms = [this] { return boottime_ms_; };
    ops_.totals = std::make_shared<StoreTotals>();
    parts_->ops = &ops_;
  }
  void TearDown() override {
    parts_.reset();
    sessions_.reset();
    confirmations_.reset();
    api_keys_.reset();
    two_factor_.reset();
    ServiceTest::TearDown();
  }

  std::unique_ptr<auth::TwoFactor> two_factor_;
  std::unique_ptr<auth::ApiKeys> api_keys_;
  std::unique_ptr<auth::EmailConfirmations> confirmations_;
  std::unique_ptr<Sessions> sessions_;
  std::unique_ptr<WebParts> parts_;
  Operations ops_;
  std::int64_t boottime_ms_ = 100000;
};

}  // namespace appliance::webd::testing
