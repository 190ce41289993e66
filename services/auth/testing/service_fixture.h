// NAME
//   service_fixture.h - the account service on a real SQLite store in a
//   temporary directory, with keys in memory and a clock moved by hand.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>

#include "auth/account_service.h"
#include "auth/directory_service.h"
#include "auth/login_service.h"
#include "auth/testing/counting_keys.h"
#include "store/data_key.h"
#include "store/sqlite/sqlite_store.h"

namespace appliance::auth::testing {

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/var/tmp/auth-service-XXXXXX";
    root_ = ::mkdtemp(tmpl);
    store_ = store::sqlite::open_store({root_, &data_keys_}).value();
    auto t = store_->create_tenant("acme").value();
    tenant_ = t.id;
    ASSERT_TRUE(store_->add_domain(t.id, "example.test").ok());
    accounts_ = std::make_unique<AccountService>(
        AccountParts{*store_, keys_, clock_, policy_, {256, 1, 1}, &cache_});
    logins_ = std::make_unique<StoreLoginService>(*accounts_, throttle_);
    directory_ = std::make_unique<StoreDirectory>(*accounts_);
  }
  void TearDown() override {
    directory_.reset();
    logins_.reset();
    accounts_.reset();
    store_.reset();
    std::filesystem::remove_all(root_);
  }

  store::TenantStore& tenant() { return *store_->tenant(tenant_).value(); }
  store::Id add_account(const std::string& address, const char* password = nullptr) {
    auto a = tenant().create_account(address);
    EXPECT_TRUE(a.ok()) << a.message();
    if (password) {
      auto r = accounts_->set_password(address, Secret(password), "test");
      EXPECT_TRUE(r.ok()) << r.message();
    }
    return a.ok() ? a->id : 0;
  }
  LoginOutcome login(const std::string& user, const std::string& password,
                     Protocol protocol = Protocol::imap, const char* source = "192.0.2.10",
                     const char* client = "Thunderbird") {
    auto out = logins_->login({user, Secret(password), protocol, parse_ip(source).value(), client});
    EXPECT_TRUE(out.ok()) << out.message();
    return out.ok() ? *out : LoginOutcome{};
  }
  std::string app_password(const std::string& address, const std::string& protocols,
                           const std::string& networks = "",
                           std::optional<std::int64_t> expires = {}) {
    Scope scope{parse_protocols(protocols).value(), {}, expires};
    if (!networks.empty()) scope.networks.push_back(parse_cidr(networks).value());
    auto made = accounts_->add_app_password(address, "phone", scope, "test");
    EXPECT_TRUE(made.ok()) << made.message();
    return made.ok() ? std::string(made->text.reveal()) : "";
  }

  std::filesystem::path root_;
  store::LocalDataKeySource data_keys_{Secret(std::string(32, 'm'))};
  LocalSecretKeys local_ = LocalSecretKeys::with_defaults();
  CountingKeys keys_{local_};
  ManualClock clock_;
  PasswordPolicy policy_{nullptr};
  CredentialCache cache_{clock_};
  Throttle throttle_{clock_};
  std::unique_ptr<store::Store> store_;
  store::Id tenant_ = 0;
  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<StoreLoginService> logins_;
  std::unique_ptr<StoreDirectory> directory_;
};

}  // namespace appliance::auth::testing
