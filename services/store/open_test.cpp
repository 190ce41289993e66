// NAME
//   open_test.cpp - the store backend chosen by [appliance] store.
#include "store/open.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <atomic>
#include <fstream>
#include <thread>
#include <vector>

namespace appliance::store {
namespace {

class OpenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/var/tmp/store-open-XXXXXX";
    home_ = ::mkdtemp(tmpl);
  }
  void TearDown() override { std::filesystem::remove_all(home_); }

  Result<StoreConfig> config(const std::string& appliance_lines) {
    std::filesystem::path file = home_ / "appliance.conf";
    std::ofstream(file) << "[appliance]\n" << appliance_lines;
    return load_store_config(file.string());
  }

  std::filesystem::path home_;
  LocalDataKeySource keys_{Secret(std::string(32, 'k'))};
};

TEST_F(OpenTest, SqliteIsTheDefaultAndLivesUnderTheHome) {
  auto c = config("");
  ASSERT_TRUE(c) << c.message();
  EXPECT_EQ(c->backend, "sqlite");
  auto store = open_configured(Paths{home_}, *c, &keys_);
  ASSERT_TRUE(store) << store.message();
  ASSERT_TRUE((*store)->create_tenant("acme"));
  EXPECT_TRUE(std::filesystem::exists(home_ / "store" / "system.db"));
}

// Daemons start together on a new state directory: none may find system.db
// half made (empty) and take it for a damaged file.
TEST_F(OpenTest, ManyOpeningANewStoreAtOnceAllSucceed) {
  for (int round = 0; round < 20; ++round) {
    Paths paths{home_ / std::to_string(round)};
    std::vector<std::thread> openers;
    std::atomic<int> failures{0};
    for (int i = 0; i < 6; ++i)
      openers.emplace_back([&] {
        auto store = open_configured(paths, StoreConfig{}, &keys_);
        if (!store) {
          ADD_FAILURE() << store.message();
          ++failures;
        }
      });
    for (auto& t : openers) t.join();
    ASSERT_EQ(failures, 0) << "round " << round;
  }
}

TEST_F(OpenTest, PostgresNeedsAConnectionString) {
  auto c = config("store = postgres\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.message(), (home_ / "appliance.conf").string() +
                             ":1: [appliance] key 'store.postgres': is required");
  auto named = config("store = postgres\nstore.postgres = host=/nonexistent dbname=appliance\n");
  ASSERT_TRUE(named) << named.message();
  EXPECT_EQ(named->postgres, "host=/nonexistent dbname=appliance");
  // A server that is not there is reported, not waited for.
  auto store = open_configured(Paths{home_}, *named, &keys_);
  EXPECT_FALSE(store);
}

TEST_F(OpenTest, AnUnknownBackendIsAConfigurationError) {
  auto c = config("store = mysql\n");
  ASSERT_FALSE(c);
  EXPECT_NE(c.message().find("[appliance] key 'store': expected one of sqlite, postgres, got "
                             "'mysql'"),
            std::string::npos)
      << c.message();
}

}  // namespace
}  // namespace appliance::store
