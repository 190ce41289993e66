// NAME
//   slots_test.cpp - A/B slots with the file backend: installing, switching,
//   commit after the health gate, automatic rollback, boot counting, and the
//   security_version floor.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "slots/file_backend.h"
#include "slots/slot_manager.h"
#include "tuf/digest.h"
#include "tuf/testing/memory_stores.h"
#include "tuf/testing/repository_simulator.h"
#include "tuf/updater.h"

namespace appliance::slots {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

template <class R>
std::string outcome(const R& r) {
  return r.ok() ? std::string("<ok>") : r.message();
}
#define ASSERT_OK(expr) ASSERT_EQ(outcome(expr), "<ok>")
#define EXPECT_FAILS_WITH(expr, text) EXPECT_THAT(outcome(expr), HasSubstr(text))

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A gate whose answer the test sets.
struct FakeGate : HealthGate {
  Result<void> answer;
  int runs = 0;
  Result<void> check() override {
    ++runs;
    return answer;
  }
};

// Records every state saved, and can fail the image write.
struct RecordingBackend : SlotBackend {
  explicit RecordingBackend(SlotBackend& inner) : inner(inner) {}
  Result<BootState> load_state() override { return inner.load_state(); }
  Result<void> save_state(const BootState& s) override {
    events.push_back("save active=" + std::string(slot_name(s.active)) + " b=" +
                     std::string(status_name(s.slot(1).status)));
    return inner.save_state(s);
  }
  Result<void> write_image(int slot, const std::string& path) override {
    events.push_back(std::string("write ") + slot_name(slot));
    if (fail_write) return Error{"disk full"};
    return inner.write_image(slot, path);
  }
  Result<void> read_back(int slot, std::uint64_t length, const tuf::Hashes& hashes) override {
    events.push_back(std::string("read back ") + slot_name(slot));
    if (fail_read_back) return Error{"sha256 mismatch"};
    return inner.read_back(slot, length, hashes);
  }
  SlotBackend& inner;
  std::vector<std::string> events;
  bool fail_write = false;
  bool fail_read_back = false;
};

class Slots : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "slots-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    base = pattern;
    auto b = FileSlotBackend::initialise((base / "slots").string(), image("factory", "v1 image"),
                                         "1.0", 2);
    ASSERT_OK(b);
    backend = std::make_unique<FileSlotBackend>(std::move(*b));
    manager = std::make_unique<SlotManager>(*backend);
  }
  void TearDown() override { fs::remove_all(base); }

  std::string image(const std::string& name, const std::string& content) {
    std::ofstream(base / name, std::ios::binary) << content;
    return (base / name).string();
  }
  Candidate candidate(const std::string& version, std::uint64_t sv, const std::string& content) {
    return Candidate{.image_path = image("appliance-" + version + ".img", content),
                     .name = "appliance-" + version + ".img",
                     .length = content.size(),
                     .hashes = {{"sha256", tuf::sha256_hex(content)}},
                     .version = version,
                     .security_version = sv};
  }
  BootState state() { return backend->load_state().value(); }
  std::string slot_file(int slot) { return slurp(base / "slots" / FileSlotBackend::image_name(slot)); }

  fs::path base;
  std::unique_ptr<FileSlotBackend> backend;
  std::unique_ptr<SlotManager> manager;
  FakeGate gate;
};

TEST_F(Slots, FactoryStateBootsSlotA) {
  EXPECT_EQ(slot_file(0), "v1 image");
  auto booted = manager->choose_boot();
  ASSERT_OK(booted);
  EXPECT_EQ(*booted, 0);
  auto after = manager->after_boot(gate);
  ASSERT_OK(after);
  EXPECT_FALSE(after->committed);
  EXPECT_EQ(gate.runs, 0);  // a good slot is not judged again
}

TEST_F(Slots, InstallWritesTheInactiveSlotBadFirstAndActiveLast) {
  RecordingBackend recording(*backend);
  SlotManager m(recording);
  auto slot = m.install(candidate("2.0", 3, "v2 image"));
  ASSERT_OK(slot);
  EXPECT_EQ(*slot, 1);
  EXPECT_EQ(recording.events,
            (std::vector<std::string>{"save active=a b=bad", "write b", "read back b",
                                      "save active=a b=trying", "save active=b b=trying"}));
  EXPECT_EQ(slot_file(1), "v2 image");
  BootState s = state();
  EXPECT_EQ(s.slot(1).tries_left, kMaxBootTries);
  EXPECT_EQ(s.slot(1).version, "2.0");
  EXPECT_EQ(s.booted, 0);
}

TEST_F(Slots, SwitchesToTheNewSlotAndCommitsItWhenHealthy) {
  ASSERT_OK(manager->install(candidate("2.0", 3, "v2 image")));
  EXPECT_EQ(manager->choose_boot().value(), 1);
  auto after = manager->after_boot(gate);
  ASSERT_OK(after);
  EXPECT_TRUE(after->committed);
  EXPECT_EQ(after->message, "slot b committed: 2.0");
  BootState s = state();
  EXPECT_EQ(s.slot(1).status, SlotStatus::good);
  EXPECT_EQ(s.security_floor, 3u);
  EXPECT_EQ(manager->choose_boot().value(), 1);  // and stays there

  // The next update goes to slot a, the one not running.
  EXPECT_EQ(manager->install(candidate("3.0", 3, "v3 image")).value(), 0);
  EXPECT_EQ(slot_file(0), "v3 image");
  EXPECT_EQ(manager->choose_boot().value(), 0);
}

TEST_F(Slots, FailedHealthGateRollsBackToTheOldSlot) {
  ASSERT_OK(manager->install(candidate("2.0", 3, "v2 image")));
  ASSERT_EQ(manager->choose_boot().value(), 1);
  gate.answer = Error{"keyd: not ready"};
  auto after = manager->after_boot(gate);
  ASSERT_OK(after);
  EXPECT_FALSE(after->committed);
  EXPECT_TRUE(after->reboot_requested);
  EXPECT_THAT(after->message, HasSubstr("slot b marked bad (keyd: not ready); reboot into slot a"));
  auto again = manager->after_boot(gate);  // still on b: the reboot has not happened yet
  ASSERT_OK(again);
  EXPECT_TRUE(again->reboot_requested);
  EXPECT_EQ(again->message, "slot b is bad; reboot into slot a");
  EXPECT_EQ(gate.runs, 1);
  EXPECT_EQ(manager->choose_boot().value(), 0);
  BootState s = state();
  EXPECT_EQ(s.slot(1).status, SlotStatus::bad);
  EXPECT_EQ(s.security_floor, 2u);  // the floor rises only on commit
  EXPECT_FALSE(manager->after_boot(gate)->reboot_requested);
}

TEST_F(Slots, ExhaustedBootTriesBootTheOtherSlot) {
  ASSERT_OK(manager->install(candidate("2.0", 3, "v2 image")));
  for (std::uint32_t i = 0; i < kMaxBootTries; ++i) {
    // Each boot hangs or crashes before the health gate runs.
    EXPECT_EQ(manager->choose_boot().value(), 1) << i;
  }
  EXPECT_EQ(state().slot(1).tries_left, 0u);
  EXPECT_EQ(manager->choose_boot().value(), 0);
  BootState s = state();
  EXPECT_EQ(s.slot(1).status, SlotStatus::bad);
  EXPECT_EQ(s.active, 0);
}

TEST_F(Slots, LowerSecurityVersionIsRefusedEvenIfSigned) {
  EXPECT_FAILS_WITH(manager->install(candidate("0.9", 1, "old image")),
                    "refused appliance-0.9.img: security_version 1 < 2 "
                    "(security_version never goes down)");
  ASSERT_OK(manager->install(candidate("2.0", 5, "v2 image")));
  ASSERT_OK(manager->choose_boot());
  ASSERT_TRUE(manager->after_boot(gate)->committed);
  // Slot a still holds 1.0 (security_version 2), but the floor is now 5.
  EXPECT_FAILS_WITH(manager->install(candidate("1.5", 4, "v1.5 image")),
                    "security_version 4 < 5");
  EXPECT_EQ(slot_file(0), "v1 image");
  ASSERT_OK(manager->install(candidate("2.1", 5, "v2.1 image")));
}

TEST_F(Slots, ImageThatDoesNotMatchItsTargetIsRefusedBeforeAnythingChanges) {
  Candidate c = candidate("2.0", 3, "v2 image");
  std::ofstream(c.image_path, std::ios::binary) << "v2 IMAGE";
  const std::string before = slurp(base / "slots/state.json");
  EXPECT_FAILS_WITH(manager->install(c), "wrong target: sha256 mismatch for appliance-2.0.img");
  c.length = 3;
  EXPECT_FAILS_WITH(manager->install(c), "is 8 bytes, metadata says 3");
  EXPECT_EQ(slurp(base / "slots/state.json"), before);
}

TEST_F(Slots, InterruptedInstallLeavesTheRunningSlotActive) {
  RecordingBackend recording(*backend);
  recording.fail_write = true;
  SlotManager m(recording);
  EXPECT_FAILS_WITH(m.install(candidate("2.0", 3, "v2 image")), "disk full");
  BootState s = state();
  EXPECT_EQ(s.slot(1).status, SlotStatus::bad);
  EXPECT_EQ(s.active, 0);
  EXPECT_EQ(manager->choose_boot().value(), 0);
}

TEST_F(Slots, ASlotThatReadsBackWrongIsNeverTried) {
  RecordingBackend recording(*backend);
  recording.fail_read_back = true;
  SlotManager m(recording);
  EXPECT_FAILS_WITH(m.install(candidate("2.0", 3, "v2 image")), "slot b: sha256 mismatch");
  EXPECT_EQ(state().slot(1).status, SlotStatus::bad);
  EXPECT_EQ(state().active, 0);
}

TEST_F(Slots, NoInstallWhileTheRunningSlotIsUnproven) {
  ASSERT_OK(manager->install(candidate("2.0", 3, "v2 image")));
  ASSERT_OK(manager->choose_boot());
  EXPECT_FAILS_WITH(manager->install(candidate("2.1", 3, "v2.1 image")),
                    "the running slot is not committed yet");
}

TEST_F(Slots, CandidateComesFromTheSignedTarget) {
  tuf::TargetInfo t;
  t.path = "appliance-2.img";
  t.role = "stable";
  t.file.length = 3;
  t.file.hashes = {{"sha256", "ab"}};
  t.file.custom = {{"version", "2.0"}, {"security_version", 4}};
  auto c = candidate_from_target(t, "/x");
  ASSERT_OK(c);
  EXPECT_EQ(c->security_version, 4u);
  EXPECT_EQ(c->version, "2.0");
  t.file.custom = {{"version", "2.0"}, {"security_version", "4"}};
  EXPECT_FAILS_WITH(candidate_from_target(t, "/x"), "no integer custom \"security_version\"");
  t.file.custom = {{"security_version", -1}};
  EXPECT_FAILS_WITH(candidate_from_target(t, "/x"), "security_version");
  t.file.custom = nullptr;
  EXPECT_FAILS_WITH(candidate_from_target(t, "/x"), "security_version");
}

// From signed metadata to a slot: the TUF client downloads and verifies, the
// slot logic installs; a correctly signed older release is still refused.
TEST_F(Slots, InstallsWhatTheUpdaterDownloadedAndRefusesAnOlderSignedRelease) {
  using tuf::testing::RepositorySimulator;
  auto repo = RepositorySimulator::create().value();
  ASSERT_OK(repo->add_delegation("targets", {.name = "stable", .paths = {"*"}}));
  repo->add_target("stable", "appliance-2.img", "v2 image",
                   {{"version", "2.0"}, {"security_version", 3}});
  repo->add_target("stable", "appliance-0.9.img", "old image",
                   {{"version", "0.9"}, {"security_version", 1}});
  ASSERT_OK(repo->publish());
  tuf::testing::MemoryMetadataStore store;
  store.files["root"] = repo->root_file(1);
  tuf::FixedClock clock(tuf::testing::SimulatorOptions{}.now);
  tuf::Updater updater({.metadata_base_url = RepositorySimulator::kMetadataUrl}, *repo, store,
                       clock);
  auto downloads = tuf::DirectoryTargetStore::open((base / "downloads").string());
  ASSERT_OK(downloads);
  auto fetch = [&](const std::string& name) -> Result<Candidate> {
    auto info = updater.find_target_in_role("stable", name);
    if (!info) return info.error();
    auto where = updater.download_target(*info, RepositorySimulator::kTargetsUrl, *downloads);
    if (!where) return where.error();
    return candidate_from_target(*info, (base / "downloads" / *where).string());
  };
  auto old = fetch("appliance-0.9.img");
  ASSERT_OK(old);
  EXPECT_FAILS_WITH(manager->install(*old), "security_version 1 < 2");
  auto current = fetch("appliance-2.img");
  ASSERT_OK(current);
  EXPECT_EQ(manager->install(*current).value(), 1);
  EXPECT_EQ(slot_file(1), "v2 image");
}

TEST(HealthGate, ReportsEveryFailedCheck) {
  ChecklistGate gate({{"services", [] { return Result<void>(); }},
                      {"keyd", [] { return Result<void>(Error{"not ready"}); }},
                      {"store", [] { return Result<void>(Error{"check failed"}); }}});
  EXPECT_EQ(outcome(gate.check()), "health gate failed: keyd: not ready; store: check failed");
  ChecklistGate healthy({{"services", [] { return Result<void>(); }}});
  EXPECT_EQ(outcome(healthy.check()), "<ok>");
  ChecklistGate empty({});
  EXPECT_FAILS_WITH(empty.check(), "no checks configured");
}

TEST(SlotState, RoundTripsAndRefusesDamage) {
  BootState s = factory_state("1.0", 2);
  s.slot(1) = {SlotStatus::trying, "2.0", 3, 2};
  s.active = 1;
  auto back = parse_state(format_state(s));
  ASSERT_OK(back);
  EXPECT_EQ(format_state(*back), format_state(s));
  const std::string good = format_state(s);
  EXPECT_FAILS_WITH(parse_state(good.substr(0, good.size() / 2)), "slot state");
  std::string bad = good;
  bad.replace(bad.find("\"active\": 1"), 11, "\"active\": 2");
  EXPECT_FAILS_WITH(parse_state(bad), "\"active\" must be an integer <= 1");
  bad = good;
  bad.replace(bad.find("\"trying\""), 8, "\"broken\"");
  EXPECT_FAILS_WITH(parse_state(bad), "unknown status");
  bad = good;
  bad.replace(bad.find("\"tries_left\": 2"), 15, "\"tries_left\": 9");
  EXPECT_FAILS_WITH(parse_state(bad), "tries_left");
}

}  // namespace
}  // namespace appliance::slots
