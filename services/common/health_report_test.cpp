// NAME
//   health_report_test.cpp - health reports: written, read back, every
//   malformed or misplaced file refused with its reason, and judged.
#include "common/health_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace appliance {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr const char* kBoot = "0f3c2a9e-6b1d-4c55-9e2f-1a2b3c4d5e6f";
constexpr const char* kOtherBoot = "11111111-2222-3333-4444-555555555555";

std::string refusal(std::string_view text) {
  auto r = parse_health_report(text);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? "" : r.message();
}

TEST(HealthReport, WrittenAndReadBack) {
  std::string text =
      format_health_report(make_health_report("smtpd", 4242, kBoot, 81234, true, "serving"));
  EXPECT_EQ(text,
            "{\"boot_id\":\"0f3c2a9e-6b1d-4c55-9e2f-1a2b3c4d5e6f\",\"daemon\":\"smtpd\","
            "\"pid\":4242,\"ready\":true,\"reason\":\"serving\",\"written_ms\":81234}\n");
  auto back = parse_health_report(text);
  ASSERT_TRUE(back.ok()) << back.message();
  EXPECT_EQ(back->daemon, "smtpd");
  EXPECT_EQ(back->pid, 4242);
  EXPECT_EQ(back->boot_id, kBoot);
  EXPECT_EQ(back->written_ms, 81234);
  EXPECT_TRUE(back->ready);
  EXPECT_EQ(back->reason, "serving");
  EXPECT_EQ(make_health_report("keyd", 1, kBoot, 0, false, "token\nlocked").reason, "token");
}

TEST(HealthReport, MalformedReportsAreRefusedWithTheirReason) {
  const std::string good =
      format_health_report(make_health_report("smtpd", 1, kBoot, 5, true, "serving"));
  EXPECT_EQ(refusal(std::string(kMaxHealthReport + 1, ' ')),
            "health report: 2049 bytes, at most 2048");
  EXPECT_EQ(refusal("{"), "health report: not valid JSON");
  EXPECT_EQ(refusal("[]"), "health report: not a JSON object");
  EXPECT_EQ(refusal(R"({"daemon":"a","daemon":"b"})"), "health report: a key appears twice");
  EXPECT_EQ(refusal(R"({"extra":1})"), "health report: unknown key \"extra\"");
  auto with = [&](const char* key, const char* value) {
    nlohmann::json doc = nlohmann::json::parse(good);
    doc[key] = nlohmann::json::parse(value);
    return doc.dump();
  };
  EXPECT_EQ(refusal(with("daemon", "\"../keyd\"")),
            "health report: \"daemon\" is not a daemon name");
  EXPECT_EQ(refusal(with("pid", "-1")), "health report: \"pid\" is not a whole number");
  EXPECT_EQ(refusal(with("pid", "1.5")), "health report: \"pid\" is not a whole number");
  EXPECT_EQ(refusal(with("boot_id", "\"0F3C2A9E-6B1D-4C55-9E2F-1A2B3C4D5E6F\"")),
            "health report: \"boot_id\" is not a boot id");
  EXPECT_EQ(refusal(with("written_ms", "\"5\"")),
            "health report: \"written_ms\" is not a whole number");
  EXPECT_EQ(refusal(with("ready", "1")), "health report: \"ready\" is not true or false");
  EXPECT_EQ(refusal(with("reason", "\"two\\nlines\"")),
            "health report: \"reason\" is not one line of at most 512 bytes");
  nlohmann::json missing = nlohmann::json::parse(good);
  missing.erase("ready");
  EXPECT_EQ(refusal(missing.dump()), "health report: no \"ready\"");
}

TEST(HealthReport, JudgedByDaemonBootAgeAndReadiness) {
  const std::int64_t now = 100'000;
  auto report = make_health_report("smtpd", 1, kBoot, now - 4'000, true, "serving");
  EXPECT_TRUE(judge_health_report(report, "smtpd", kBoot, now).ok());
  EXPECT_EQ(judge_health_report(report, "imapd", kBoot, now).message(),
            "the report names another daemon (smtpd)");
  EXPECT_EQ(judge_health_report(report, "smtpd", kOtherBoot, now).message(),
            "no report of this boot (not running?)");
  EXPECT_EQ(judge_health_report(report, "smtpd", kBoot, now + 27'000).message(),
            "no report for 31 s (not running?)");
  report.ready = false;
  report.reason = "token locked";
  EXPECT_EQ(judge_health_report(report, "smtpd", kBoot, now).message(), "not ready (token locked)");
}

class HealthFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "health-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    base = pattern;
    dir = base / "health" / "smtpd";
    fs::create_directories(dir);
    ::chmod(dir.c_str(), 0755);
    file = dir / "health.json";
  }
  void TearDown() override { fs::remove_all(base); }
  void write(const std::string& text) { std::ofstream(file) << text; }

  fs::path base, dir, file;
};

TEST_F(HealthFile, ReadFromTheDaemonsFolder) {
  write(format_health_report(make_health_report("smtpd", 7, kBoot, 1, true, "serving")));
  auto r = read_health_report(file);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->pid, 7);
}

TEST_F(HealthFile, RefusedWhenMissingLinkedOversizedOrInAFolderOthersMayWrite) {
  EXPECT_EQ(read_health_report(file).message(), "no report (" + file.string() + " is missing)");
  write(std::string(kMaxHealthReport + 1, ' '));
  EXPECT_EQ(read_health_report(file).message(), file.string() + ": 2049 bytes, at most 2048");
  write("{}");
  EXPECT_EQ(read_health_report(file).message(), file.string() + ": health report: no \"daemon\"");
  fs::remove(file);
  fs::create_symlink(base / "elsewhere.json", file);
  EXPECT_THAT(read_health_report(file).message(), HasSubstr(file.string() + ": "));
  fs::remove(file);
  write(format_health_report(make_health_report("smtpd", 7, kBoot, 1, true, "serving")));
  ::chmod(dir.c_str(), 0777);
  EXPECT_EQ(read_health_report(file).message(),
            dir.string() + ": not a folder only its owner may write");
}

}  // namespace
}  // namespace appliance
