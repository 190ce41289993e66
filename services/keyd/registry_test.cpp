#include "keyd/registry.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

namespace appliance::keyd {
namespace {

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("registry-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(RegistryTest, FamilyResolvesToNewestInService) {
  Registry r(dir_);
  ASSERT_TRUE(r.load({}).ok());
  ASSERT_TRUE(r.add({"seal/totp/v1", "aes-256", "2026-01-01"}).ok());
  ASSERT_TRUE(r.add({"seal/totp/v2", "aes-256", "2026-02-01"}).ok());
  EXPECT_EQ(*r.resolve("seal/totp", true), "seal/totp/v2");
  EXPECT_EQ(r.next_version("seal/totp"), "seal/totp/v3");
  ASSERT_TRUE(r.retire("seal/totp/v2").ok());
  EXPECT_EQ(*r.resolve("seal/totp", true), "seal/totp/v1");
  // A retired key still unseals, but takes no new work.
  EXPECT_TRUE(r.resolve("seal/totp/v2", false).ok());
  EXPECT_EQ(r.resolve("seal/totp/v2", true).message().substr(0, 27), "key seal/totp/v2 is retired");
  EXPECT_EQ(r.resolve("seal/other", true).message(), "no key named seal/other");
}

TEST_F(RegistryTest, StateSurvivesReload) {
  {
    Registry r(dir_);
    ASSERT_TRUE(r.load({}).ok());
    ASSERT_TRUE(r.add({"tls/a/v1", "ec-p256", "2026-01-01"}).ok());
    r.record_use("tls/a/v1");
    ASSERT_TRUE(r.retire("tls/a/v1").ok());
    ASSERT_TRUE(r.save().ok());
  }
  Registry again(dir_);
  ASSERT_TRUE(again.load({{"tls/a/v1", "ec-p256", "2026-01-01"}}).ok());
  auto info = again.info("tls/a/v1");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->uses, 1u);
  EXPECT_FALSE(info->retired.empty());
}

}  // namespace
}  // namespace appliance::keyd
