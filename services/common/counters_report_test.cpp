// NAME
//   counters_report_test.cpp - counters reports: counted, written, read
//   back, and every malformed or misplaced file refused with its reason.
#include "common/counters_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

namespace appliance {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr const char* kBoot = "0f3c2a9e-6b1d-4c55-9e2f-1a2b3c4d5e6f";
constexpr const char* kGood =
    R"({"boot_id":"0f3c2a9e-6b1d-4c55-9e2f-1a2b3c4d5e6f","daemon":"smtpd",)"
    R"("dmarc_junked":1,"dmarc_refused":2,)"
    R"("keyd_request_us":7120,"keyd_requests":55,"messages_in":12,)"
    R"("messages_in_hours":[[493811,4],[493812,8]],"pid":4242,)"
    R"("tls_handshake_failures":1,"tls_handshakes":30,"written_ms":81234})";

std::string refusal(std::string_view text) {
  auto r = parse_counters_report(text);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? "" : r.message();
}

std::string with(std::string text, const std::string& from, const std::string& to) {
  return text.replace(text.find(from), from.size(), to);
}

TEST(CountersReport, CountedWrittenAndReadBack) {
  ProcessCounters c;
  for (int i = 0; i < 8; ++i) c.message_in(493812 * 3600 + 59);
  for (int i = 0; i < 4; ++i) c.message_in(493811 * 3600 + i);
  EXPECT_EQ(c.messages_in_hours(), (std::vector<HourCount>{{493811, 4}, {493812, 8}}));
  c.message_in((493812 + 24) * 3600);  // a day later: the slot of 493812 starts again
  EXPECT_EQ(c.messages_in_hours(), (std::vector<HourCount>{{493811, 4}, {493836, 1}}));
  ProcessCounters fresh;
  EXPECT_TRUE(fresh.messages_in_hours().empty());
  c.messages_in = 12;
  c.tls_handshakes = 30;
  c.tls_handshake_failures = 1;
  c.keyd_requests = 54;
  c.keyd_request_us = 7000;
  c.dmarc_refused = 2;
  c.dmarc_junked = 1;
  c.keyd_answered(std::chrono::steady_clock::now());
  EXPECT_EQ(c.keyd_requests, 55u);
  auto report = make_counters_report("smtpd", 4242, kBoot, 81234, c);
  report.keyd_request_us = 7120;
  report.messages_in_hours = {{493811, 4}, {493812, 8}};
  EXPECT_EQ(format_counters_report(report), std::string(kGood) + "\n");
  auto back = parse_counters_report(kGood);
  ASSERT_TRUE(back.ok()) << back.message();
  EXPECT_EQ(back->daemon, "smtpd");
  EXPECT_EQ(back->pid, 4242);
  EXPECT_EQ(back->written_ms, 81234);
  EXPECT_EQ(back->messages_in, 12u);
  EXPECT_EQ(back->tls_handshakes, 30u);
  EXPECT_EQ(back->tls_handshake_failures, 1u);
  EXPECT_EQ(back->keyd_requests, 55u);
  EXPECT_EQ(back->keyd_request_us, 7120u);
  EXPECT_EQ(back->dmarc_refused, 2u);
  EXPECT_EQ(back->dmarc_junked, 1u);
  EXPECT_EQ(back->messages_in_hours, (std::vector<HourCount>{{493811, 4}, {493812, 8}}));
}

TEST(CountersReport, MalformedReportsAreRefusedWithTheirReason) {
  const std::string good = kGood;
  EXPECT_THAT(refusal(""), HasSubstr("counters report"));
  EXPECT_THAT(refusal("[1]"), HasSubstr("counters report"));
  EXPECT_THAT(refusal(with(good, "\"messages_in\":12,", "")), HasSubstr("messages_in"));
  EXPECT_THAT(refusal(with(good, "\"dmarc_junked\":1,", "")), HasSubstr("dmarc_junked"));
  EXPECT_THAT(refusal(with(good, "\"messages_in\":12", "\"messages_in\":-1")),
              HasSubstr("messages_in"));
  EXPECT_THAT(refusal(with(good, "\"messages_in\":12", "\"messages_in\":1.5")),
              HasSubstr("messages_in"));
  EXPECT_THAT(refusal(with(good, "\"messages_in\":12", "\"messages_in\":\"12\"")),
              HasSubstr("messages_in"));
  EXPECT_FALSE(refusal(with(good, "{", "{\"extra\":1,")).empty());
  EXPECT_FALSE(refusal(with(good, "{", "{\"pid\":1,")).empty());  // a key twice
  EXPECT_THAT(refusal(with(good, "smtpd", "../x")), HasSubstr("daemon"));
  EXPECT_THAT(refusal(with(good, kBoot, "not-a-boot")), HasSubstr("boot_id"));
  EXPECT_FALSE(refusal(good + std::string(kMaxCountersReport, ' ')).empty());
  const std::string hours = "[[493811,4],[493812,8]]";
  for (const char* bad :
       {"[[493812,4],[493811,8]]", "[[493811,4],[493811,8]]", "[[1,2,3]]", "[[-1,2]]", "[[1,-2]]",
        "[[1,2.5]]", "[1,2]", "{}", "null", "[[\"1\",2]]"})
    EXPECT_THAT(refusal(with(good, hours, bad)), HasSubstr("messages_in_hours")) << bad;
  std::string many = "[";
  for (int h = 1; h <= 25; ++h) many += (h > 1 ? ",[" : "[") + std::to_string(h) + ",1]";
  EXPECT_THAT(refusal(with(good, hours, many + "]")), HasSubstr("messages_in_hours"));
}

TEST(CountersReport, OnlyARegularFileOfTheFoldersOwnerIsRead) {
  char tmpl[] = "/tmp/counters-XXXXXX";
  fs::path root = ::mkdtemp(tmpl);
  fs::path dir = root / "smtpd";
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms(0755));
  EXPECT_THAT(read_counters_report(dir / "counters.json").message(), HasSubstr("missing"));
  std::ofstream(dir / "counters.json") << kGood;
  auto read = read_counters_report(dir / "counters.json");
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(read->messages_in, 12u);
  fs::remove(dir / "counters.json");
  fs::create_symlink(root / "elsewhere", dir / "counters.json");
  EXPECT_FALSE(read_counters_report(dir / "counters.json").ok());
  fs::remove(dir / "counters.json");
  fs::permissions(dir, fs::perms(0777));
  std::ofstream(dir / "counters.json") << kGood;
  EXPECT_THAT(read_counters_report(dir / "counters.json").message(), HasSubstr("folder"));
  fs::remove_all(root);
}

}  // namespace
}  // namespace appliance
