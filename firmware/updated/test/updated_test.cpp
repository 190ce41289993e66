// NAME
//   updated_test.cpp - the pieces around a check: version order, [updated]
//   settings, the status file and health summary, committing or rolling back
//   a booted slot, and the appliance gate reading health reports and the
//   store check's verdict.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "common/daemon.h"
#include "common/health_report.h"
#include "common/store_verdict.h"
#include "slots/block_backend.h"
#include "slots/file_backend.h"
#include "slots/slot_manager.h"
#include "updated/appliance_gate.h"
#include "updated/boot_check.h"
#include "updated/settings.h"
#include "updated/slot_access.h"
#include "updated/update_state.h"
#include "updated/version.h"

namespace appliance::updated {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

fs::path temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "updated-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) ADD_FAILURE() << "mkdtemp";
  return pattern;
}

TEST(Version, NumbersCompareAsNumbers) {
  EXPECT_LT(compare_versions("1.9", "1.10"), 0);
  EXPECT_LT(compare_versions("2026.9.1", "2026.11.1"), 0);
  EXPECT_EQ(compare_versions("2.0", "2.0"), 0);
  EXPECT_EQ(compare_versions("2.01", "2.1"), 0);
  EXPECT_LT(compare_versions("2.0", "2.0.1"), 0);
  EXPECT_GT(compare_versions("3", "2.99"), 0);
  EXPECT_LT(compare_versions("3.1-1", "3.1-rc"), 0);  // a number sorts before text
  EXPECT_GT(compare_versions("99999999999999999999999", "9"), 0);
}

Result<Settings> settings_from(const std::string& text) {
  auto doc = config::parse(text, "appliance.conf");
  if (!doc) return doc.error();
  config::Reader reader(*doc, "updated");
  Settings s = read_settings(reader);
  if (auto r = reader.finish(); !r) return r.error();
  if (auto r = check_settings(s); !r) return r.error();
  return s;
}

TEST(Settings, DefaultsAreIdleAndNotify) {
  auto s = settings_from("[appliance]\n");
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_TRUE(s->idle());
  EXPECT_EQ(s->policy, InstallPolicy::notify);
  EXPECT_EQ(s->channel, "stable");
  resolve_paths(*s, "/var/lib/appliance");
  EXPECT_EQ(s->metadata_dir, "/var/lib/appliance/update/metadata");
  EXPECT_EQ(s->reboot_request, "/var/lib/appliance/update/reboot-request");
  EXPECT_EQ(s->slot_backend, "file");
  EXPECT_EQ(s->slot_dir, "/var/lib/appliance/update/slots");
  EXPECT_EQ(s->status_file, "/var/lib/appliance/update/status.json");
}

TEST(Settings, EveryKey) {
  auto s = settings_from(
      "[updated]\nmetadata_url = https://u.test/metadata/\ntarget_base_url = https://u.test/t/\n"
      "channel = lts\ninstall = automatic\ncheck_interval = 3600\nfirst_check_delay = 0\n"
      "gate_timeout = 60\nmetadata_dir = /m\ntarget_dir = /t\nslot_dir = /s\n"
      "status_file = /st.json\n");
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_FALSE(s->idle());
  EXPECT_EQ(s->policy, InstallPolicy::automatic);
  EXPECT_EQ(s->channel, "lts");
  EXPECT_EQ(s->check_interval, 3600s);
  resolve_paths(*s, "/home");
  EXPECT_EQ(s->metadata_dir, "/m");
  EXPECT_EQ(s->status_file, "/st.json");
}

TEST(Settings, BadValuesNameTheKey) {
  EXPECT_THAT(
      settings_from("[updated]\nchannel = nightly\n").message(),
      HasSubstr("[updated] key 'channel': expected one of stable, beta, lts, got 'nightly'"));
  EXPECT_THAT(settings_from("[updated]\ninstall = always\n").message(),
              HasSubstr("[updated] key 'install': expected one of never, notify, automatic"));
  EXPECT_THAT(settings_from("[updated]\nmetadata_url = https://u.test/\n").message(),
              HasSubstr("key 'target_base_url': is required"));
  EXPECT_THAT(settings_from("[updated]\ncheck_interval = 5\n").message(),
              HasSubstr("key 'check_interval'"));
  EXPECT_THAT(settings_from("[updated]\nslot_dir = slots\n").message(),
              HasSubstr("expected an absolute path"));
  // Older downloads are removed from target_dir: nothing else may live there.
  EXPECT_THAT(settings_from("[updated]\nmetadata_dir = /u\ntarget_dir = /u\n").message(),
              HasSubstr("key 'target_dir': must be a directory of its own"));
}

TEST(Settings, TheBlockBackendNeedsTwoDevices) {
  EXPECT_THAT(settings_from("[updated]\nslot_backend = block\nslot_device_a = /dev/a\n").message(),
              HasSubstr("keys 'slot_device_a' and 'slot_device_b': two different devices"));
  EXPECT_THAT(settings_from("[updated]\nslot_backend = disk\n").message(),
              HasSubstr("key 'slot_backend': expected one of file, block"));
  auto s = settings_from(
      "[updated]\nslot_backend = block\nslot_device_a = /dev/disk/by-partlabel/root-a\n"
      "slot_device_b = /dev/disk/by-partlabel/root-b\nslot_dir = /var/lib/appliance/boot\n");
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(s->slot_device_b, "/dev/disk/by-partlabel/root-b");
}

TEST(Settings, TheConfiguredSlotBackendIsOpened) {
  const fs::path base = temp_dir();
  for (const char* name : {"root-a", "root-b"})
    std::ofstream(base / name, std::ios::binary) << std::string(1024, '\0');
  ASSERT_TRUE(
      slots::BlockSlotBackend::initialise({(base / "root-a").string(), (base / "root-b").string()},
                                          (base / "state").string(), "1.0", 1)
          .ok());
  Settings s;
  s.slot_backend = "block";
  s.slot_device_a = base / "root-a";
  s.slot_device_b = base / "root-b";
  s.slot_dir = base / "state";
  auto block = open_slot_backend(s);
  ASSERT_TRUE(block.ok()) << block.message();
  EXPECT_EQ((*block)->load_state()->slot(0).version, "1.0");
  s.slot_device_b = base / "root-c";
  EXPECT_THAT(open_slot_backend(s).message(), HasSubstr("slots: cannot open"));
  s.slot_backend = "file";
  s.slot_dir = base / "missing";
  EXPECT_THAT(open_slot_backend(s).message(), HasSubstr("slots: "));
  fs::remove_all(base);
}

TEST(State, StatusFileAndHealthSummary) {
  Settings settings;
  UpdateState state;
  CheckResult r{Outcome::installed, "1.0", "2.0", "2.0", "version 2.0 installed into slot b"};
  state.record(r, 1'700'000'000);
  auto j = nlohmann::json::parse(format_status(state, settings));
  EXPECT_EQ(j["result"], "installed");
  EXPECT_EQ(j["last_check"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(j["running_version"], "1.0");
  EXPECT_EQ(j["pending_version"], "2.0");
  EXPECT_EQ(j["install"], "notify");
  EXPECT_EQ(health_summary(state, settings),
            "stable, install notify: installed; running 1.0; available 2.0; pending 2.0; "
            "checked 2023-11-14T22:13:20Z");

  state.record({Outcome::failed, "", "", "", "rollback attack: timestamp version 3 < trusted 5"},
               1'700'000'060);
  EXPECT_THAT(health_summary(state, settings), HasSubstr("failed (rollback attack"));
  EXPECT_THAT(health_summary(state, settings), HasSubstr("running 1.0"));
  UpdateState idle;
  idle.idle = true;
  EXPECT_EQ(health_summary(idle, settings), "idle: no metadata_url configured");
  EXPECT_EQ(nlohmann::json::parse(format_status(idle, settings))["last_check"], nullptr);
}

struct FakeGate : slots::HealthGate {
  Result<void> answer;
  Result<void> check() override { return answer; }
};

class Boot : public ::testing::Test {
 protected:
  void SetUp() override {
    base = temp_dir();
    std::ofstream(base / "v1.img") << "one";
    std::ofstream(base / "v2.img") << "two";
    auto b = slots::FileSlotBackend::initialise((base / "slots").string(),
                                                (base / "v1.img").string(), "1.0", 2);
    ASSERT_TRUE(b.ok()) << b.message();
    backend.emplace(std::move(*b));
    slots::SlotManager m(*backend);
    slots::Candidate c{(base / "v2.img").string(),           "v2.img", 3,
                       {{"sha256", tuf::sha256_hex("two")}}, "2.0",    3};
    ASSERT_TRUE(m.install(c).ok());
    ASSERT_EQ(m.choose_boot().value(), 1);  // the reboot into slot b
  }
  void TearDown() override { fs::remove_all(base); }

  fs::path base;
  std::optional<slots::FileSlotBackend> backend;
  FakeGate gate;
};

TEST_F(Boot, WaitsForTheGateThenCommits) {
  gate.answer = Error{"health gate failed: keyd: not ready"};
  auto r = check_boot(*backend, gate, 100, 200);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->verdict, BootVerdict::waiting);
  EXPECT_THAT(r->message, HasSubstr("slot b (2.0) on trial: health gate failed: keyd"));
  gate.answer = {};
  r = check_boot(*backend, gate, 150, 200);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->verdict, BootVerdict::committed);
  EXPECT_EQ(backend->load_state()->security_floor, 3u);
  EXPECT_EQ(check_boot(*backend, gate, 160, 200)->verdict, BootVerdict::settled);
}

TEST_F(Boot, RollsBackWhenTheGateNeverPassed) {
  gate.answer = Error{"health gate failed: services: smtpd: not ready"};
  auto r = check_boot(*backend, gate, 200, 200);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->verdict, BootVerdict::rolled_back);
  EXPECT_THAT(r->message, HasSubstr("slot b marked bad"));
  EXPECT_EQ(backend->load_state()->active, 0);

  // updated cannot reboot: it leaves the request, with its reason, for a root job.
  const fs::path request = base / "update" / "reboot-request";
  ASSERT_TRUE(request_reboot(request, r->message + "\nsecond line").ok());
  std::ifstream in(request);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, r->message + "\n");
  EXPECT_THAT(text, HasSubstr("reboot into slot a"));
}

// keyd, smtpd and updated itself leaving health reports in a temp home.
class Gate : public ::testing::Test {
 protected:
  void SetUp() override {
    paths.home = temp_dir();
    for (const auto& [name, health] : reports) report(name, health);
    write_verdict(read_boot_id().value(), true, "1 tenants checked, 0 with faults");
  }
  void report(const std::string& daemon, const Health& health, std::int64_t age_ms = 0,
              const std::string& boot_id = read_boot_id().value()) {
    const fs::path file = paths.health_report(daemon);
    fs::create_directories(file.parent_path());
    fs::permissions(file.parent_path(), fs::perms(0755));
    std::ofstream(file) << format_health_report(make_health_report(
        daemon, 42, boot_id, boottime_ms() - age_ms, health.ready, health.reason));
  }
  void write_verdict(const std::string& boot_id, bool ok, const std::string& reason) {
    fs::create_directories(paths.run_dir());
    std::ofstream(paths.store_verdict())
        << format_store_verdict(make_store_verdict(boot_id, 1'700'000'000, ok, reason));
  }
  void TearDown() override { fs::remove_all(paths.home); }

  Paths paths;
  std::map<std::string, Health> reports = {{"keyd", {true, "token open"}},
                                           {"smtpd", {true, "serving"}},
                                           {"updated", {false, "on trial"}}};
};

TEST_F(Gate, PassesWhenEveryDaemonAndKeydAreReady) {
  auto gate = make_appliance_gate(paths, "updated");
  auto r = gate->check();
  EXPECT_TRUE(r.ok()) << r.message();
}

TEST_F(Gate, NamesEachFault) {
  report("keyd", {false, "token locked"});
  report("smtpd", {true, "serving"}, 60'000);
  auto r = make_appliance_gate(paths, "updated")->check();
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.message(), HasSubstr("services: keyd: not ready (token locked), smtpd: no report "
                                     "for 60 s (not running?)"));
  EXPECT_THAT(r.message(), HasSubstr("keyd: keyd: not ready (token locked)"));

  report("smtpd", {true, "serving"}, 0, "11111111-2222-3333-4444-555555555555");
  EXPECT_THAT(check_services(paths, "updated").message(),
              HasSubstr("smtpd: no report of this boot (not running?)"));
  fs::remove(paths.health_report("smtpd"));
  EXPECT_THAT(
      check_services(paths, "updated").message(),
      HasSubstr("smtpd: no report (" + paths.health_report("smtpd").string() + " is missing)"));
}

TEST_F(Gate, AReportInAFolderOthersMayWriteDoesNotCount) {
  fs::permissions(paths.health_report("smtpd").parent_path(), fs::perms(0777));
  EXPECT_THAT(check_services(paths, "updated").message(),
              HasSubstr("smtpd: " + paths.health_report("smtpd").parent_path().string() +
                        ": not a folder only its owner may write"));
}

TEST_F(Gate, TheStoreVerdictMustBeOfThisBootAndOk) {
  const std::string boot = "0f3c2a9e-6b1d-4c55-9e2f-1a2b3c4d5e6f";
  const std::string earlier = "11111111-2222-3333-4444-555555555555";
  const fs::path file = paths.store_verdict();
  write_verdict(boot, true, "2 tenants checked, 0 with faults");
  EXPECT_TRUE(check_store(file, boot).ok());

  EXPECT_THAT(check_store(file, earlier).message(),
              HasSubstr("no verdict of this boot (the last, 2023-11-14T22:13:20Z, is of boot " +
                        boot + ")"));
  write_verdict(boot, false, "tenant 1 (acme): DAMAGED: database disk image is malformed");
  EXPECT_EQ(check_store(file, boot).message(),
            "check failed at 2023-11-14T22:13:20Z: tenant 1 (acme): DAMAGED: database disk image "
            "is malformed");
  std::ofstream(file) << "{\"result\": \"ok\"}";
  EXPECT_THAT(check_store(file, boot).message(), HasSubstr("store verdict: no \"boot_id\""));
  fs::remove(file);
  EXPECT_THAT(check_store(file, boot).message(), HasSubstr("no verdict yet"));
  EXPECT_EQ(check_store(file, Error{"cannot read the boot id"}).message(),
            "cannot read the boot id");
}

TEST_F(Gate, AFailedStoreCheckFailsTheGate) {
  write_verdict(read_boot_id().value(), false, "tenant 1 (acme): FAULTY");
  auto r = make_appliance_gate(paths, "updated")->check();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.message(),
            "health gate failed: store: check failed at 2023-11-14T22:13:20Z: "
            "tenant 1 (acme): FAULTY");
  fs::remove(paths.store_verdict());
  EXPECT_THAT(make_appliance_gate(paths, "updated")->check().message(),
              HasSubstr("store: no verdict yet"));
}

TEST_F(Gate, NoDaemonReportingFailsTheServicesCheck) {
  fs::remove_all(paths.health_dir() / "keyd");
  fs::remove_all(paths.health_dir() / "smtpd");
  EXPECT_EQ(check_services(paths, "updated").message(),
            "no daemon reports its health (" + paths.health_dir().string() + " holds none)");
  EXPECT_THAT(check_keyd(paths).message(), HasSubstr("keyd: no report ("));
}

}  // namespace
}  // namespace appliance::updated
