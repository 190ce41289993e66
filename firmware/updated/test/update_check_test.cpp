// NAME
//   update_check_test.cpp - one check of the channel under each install
//   policy, with a simulated repository and the file slot backend: a newer
//   release installed, only reported, refused for its security_version, and
//   a broken repository reported and survived.
#include "updated/update_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "slots/file_backend.h"
#include "tuf/testing/memory_stores.h"
#include "tuf/testing/repository_simulator.h"

namespace appliance::updated {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using tuf::testing::RepositorySimulator;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class Check : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "updated-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    base = pattern;
    auto sim = RepositorySimulator::create();
    ASSERT_TRUE(sim.ok()) << sim.message();
    repo = std::move(*sim);
    ASSERT_TRUE(repo->add_delegation("targets", {.name = "stable", .paths = {"*"}}).ok());
    ASSERT_TRUE(repo->add_delegation("targets", {.name = "beta", .paths = {"*"}}).ok());
    release("stable", "1.0", 2, "factory image");
    metadata.files["root"] = repo->root_file(1);
    std::ofstream(base / "factory.img") << "factory image";
    auto b = slots::FileSlotBackend::initialise((base / "slots").string(),
                                                (base / "factory.img").string(), "1.0", 2);
    ASSERT_TRUE(b.ok()) << b.message();
    backend.emplace(std::move(*b));
    auto t = tuf::DirectoryTargetStore::open((base / "targets").string());
    ASSERT_TRUE(t.ok()) << t.message();
    targets.emplace(std::move(*t));
    settings.metadata_url = RepositorySimulator::kMetadataUrl;
    settings.target_base_url = RepositorySimulator::kTargetsUrl;
  }
  void TearDown() override { fs::remove_all(base); }

  void release(const std::string& channel, const std::string& version, std::uint64_t sv,
               const std::string& content) {
    repo->add_target(channel, "appliance-" + version + ".img", content,
                     {{"version", version}, {"security_version", sv}});
    ASSERT_TRUE(repo->publish().ok());
  }
  CheckResult check(InstallPolicy policy) {
    settings.policy = policy;
    CheckIo io{*repo, metadata, *targets, *backend, clock};
    return check_for_update(settings, io);
  }
  slots::BootState state() { return backend->load_state().value(); }
  bool downloaded(const std::string& version) {
    return fs::exists(base / "targets" / ("appliance-" + version + ".img"));
  }

  fs::path base;
  std::unique_ptr<RepositorySimulator> repo;
  tuf::testing::MemoryMetadataStore metadata;
  std::optional<tuf::DirectoryTargetStore> targets;
  std::optional<slots::FileSlotBackend> backend;
  tuf::FixedClock clock{tuf::testing::SimulatorOptions{}.now};
  Settings settings;
};

TEST_F(Check, NothingNewerIsUpToDate) {
  CheckResult r = check(InstallPolicy::automatic);
  EXPECT_EQ(r.outcome, Outcome::up_to_date) << r.message;
  EXPECT_EQ(r.running_version, "1.0");
  EXPECT_EQ(r.available_version, "");
}

TEST_F(Check, AutomaticInstallsTheNewestIntoTheInactiveSlot) {
  release("stable", "1.9", 3, "nine");
  release("stable", "1.10", 3, "ten");  // newer than 1.9, though it sorts before as text
  release("beta", "5.0", 3, "beta only");
  CheckResult r = check(InstallPolicy::automatic);
  ASSERT_EQ(r.outcome, Outcome::installed) << r.message;
  EXPECT_EQ(r.available_version, "1.10");
  EXPECT_EQ(r.pending_version, "1.10");
  EXPECT_THAT(r.message, HasSubstr("installed into slot b"));
  EXPECT_EQ(slurp(base / "slots" / "slot-b.img"), "ten");
  slots::BootState s = state();
  EXPECT_EQ(s.active, 1);
  EXPECT_EQ(s.booted, 0);
  EXPECT_EQ(s.slot(1).status, slots::SlotStatus::trying);
  EXPECT_EQ(s.slot(1).version, "1.10");

  CheckResult again = check(InstallPolicy::automatic);
  EXPECT_EQ(again.outcome, Outcome::pending) << again.message;
  EXPECT_EQ(again.pending_version, "1.10");
}

TEST_F(Check, TheChannelFollowedIsTheOneConfigured) {
  release("beta", "5.0", 3, "beta only");
  settings.channel = "beta";
  CheckResult r = check(InstallPolicy::automatic);
  ASSERT_EQ(r.outcome, Outcome::installed) << r.message;
  EXPECT_EQ(slurp(base / "slots" / "slot-b.img"), "beta only");
}

TEST_F(Check, NotifyDownloadsAndReportsButInstallsNothing) {
  release("stable", "2.0", 3, "two");
  CheckResult r = check(InstallPolicy::notify);
  EXPECT_EQ(r.outcome, Outcome::available) << r.message;
  EXPECT_EQ(r.available_version, "2.0");
  EXPECT_EQ(r.pending_version, "");
  EXPECT_TRUE(downloaded("2.0"));
  EXPECT_EQ(state().active, 0);
  EXPECT_EQ(state().slot(1).status, slots::SlotStatus::empty);
}

TEST_F(Check, ANewerDownloadReplacesTheOlderOnes) {
  release("stable", "2.0", 3, "two");
  ASSERT_EQ(check(InstallPolicy::notify).outcome, Outcome::available);
  std::ofstream(base / "targets" / ".appliance-2.5.img.tmp-interrupted") << "half";
  release("stable", "3.0", 3, "three");
  CheckResult r = check(InstallPolicy::notify);
  ASSERT_EQ(r.outcome, Outcome::available) << r.message;
  EXPECT_TRUE(downloaded("3.0"));
  EXPECT_FALSE(downloaded("2.0"));
  EXPECT_EQ(std::distance(fs::directory_iterator(base / "targets"), fs::directory_iterator()), 1);
}

TEST_F(Check, AnInstallKeepsOnlyTheImageInstalled) {
  release("stable", "2.0", 3, "two");
  ASSERT_EQ(check(InstallPolicy::notify).outcome, Outcome::available);
  release("stable", "3.0", 3, "three");
  CheckResult r = check(InstallPolicy::automatic);
  ASSERT_EQ(r.outcome, Outcome::installed) << r.message;
  EXPECT_TRUE(downloaded("3.0"));
  EXPECT_FALSE(downloaded("2.0"));
}

TEST_F(Check, AFailedDownloadRemovesNothing) {
  release("stable", "2.0", 3, "two");
  ASSERT_EQ(check(InstallPolicy::notify).outcome, Outcome::available);
  release("stable", "3.0", 3, "three");
  repo->replace_target_content("appliance-3.0.img", "threE");
  EXPECT_EQ(check(InstallPolicy::notify).outcome, Outcome::failed);
  EXPECT_TRUE(downloaded("2.0"));
  EXPECT_FALSE(downloaded("3.0"));
}

TEST_F(Check, NeverOnlyReports) {
  release("stable", "2.0", 3, "two");
  CheckResult r = check(InstallPolicy::never);
  EXPECT_EQ(r.outcome, Outcome::available) << r.message;
  EXPECT_EQ(r.available_version, "2.0");
  EXPECT_FALSE(downloaded("2.0"));
  EXPECT_EQ(state().slot(1).status, slots::SlotStatus::empty);
}

TEST_F(Check, LowerSecurityVersionIsRefusedBeforeDownload) {
  release("stable", "2.0", 1, "signed, but older in security");
  CheckResult r = check(InstallPolicy::automatic);
  EXPECT_EQ(r.outcome, Outcome::refused);
  EXPECT_THAT(r.message, HasSubstr("security_version 1 < 2"));
  EXPECT_FALSE(downloaded("2.0"));
  EXPECT_EQ(state().slot(1).status, slots::SlotStatus::empty);
}

TEST_F(Check, TargetWithoutSecurityVersionIsRefused) {
  repo->add_target("stable", "appliance-3.0.img", "three", {{"version", "3.0"}});
  ASSERT_TRUE(repo->publish().ok());
  CheckResult r = check(InstallPolicy::automatic);
  EXPECT_EQ(r.outcome, Outcome::refused);
  EXPECT_THAT(r.message, HasSubstr("no integer custom \"security_version\""));
}

TEST_F(Check, BrokenRepositoryIsReportedAndTheNextCheckWorks) {
  release("stable", "2.0", 3, "two");
  std::string& ts = repo->metadata["timestamp.json"];
  const std::string good = ts;
  nlohmann::json doc = nlohmann::json::parse(ts);
  doc["signed"]["x-evil"] = true;  // the signature no longer covers the body
  ts = doc.dump(1);
  CheckResult r = check(InstallPolicy::automatic);
  EXPECT_EQ(r.outcome, Outcome::failed);
  EXPECT_THAT(r.message, HasSubstr("arbitrary software attack: threshold not met"));
  EXPECT_EQ(state().slot(1).status, slots::SlotStatus::empty);

  ts = good;
  CheckResult next = check(InstallPolicy::automatic);
  EXPECT_EQ(next.outcome, Outcome::installed) << next.message;
}

TEST_F(Check, RolledBackRepositoryNamesTheAttack) {
  ASSERT_EQ(check(InstallPolicy::automatic).outcome, Outcome::up_to_date);
  const std::string old_timestamp = repo->metadata["timestamp.json"];
  release("stable", "2.0", 3, "two");
  ASSERT_EQ(check(InstallPolicy::never).outcome, Outcome::available);
  repo->metadata["timestamp.json"] = old_timestamp;
  CheckResult r = check(InstallPolicy::automatic);
  EXPECT_EQ(r.outcome, Outcome::failed);
  EXPECT_THAT(r.message, HasSubstr("rollback attack"));
}

TEST_F(Check, TamperedImageIsAWrongTarget) {
  release("stable", "2.0", 3, "two");
  repo->replace_target_content("appliance-2.0.img", "owt");  // same length, other bytes
  CheckResult r = check(InstallPolicy::automatic);
  EXPECT_EQ(r.outcome, Outcome::failed);
  EXPECT_THAT(r.message, HasSubstr("wrong target"));
  EXPECT_EQ(state().slot(1).status, slots::SlotStatus::empty);
}

TEST_F(Check, UnreachableRepositoryFails) {
  settings.metadata_url = "https://elsewhere.test/metadata/";
  CheckResult r = check(InstallPolicy::automatic);
  EXPECT_EQ(r.outcome, Outcome::failed);
  EXPECT_FALSE(r.message.empty());
}

}  // namespace
}  // namespace appliance::updated
