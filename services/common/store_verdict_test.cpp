// NAME
//   store_verdict_test.cpp - the store check's verdict: written, read back,
//   and every malformed file refused with its reason.
#include "common/store_verdict.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace appliance {
namespace {

using ::testing::HasSubstr;

constexpr const char* kBoot = "0f3c2a9e-6b1d-4c55-9e2f-1a2b3c4d5e6f";

std::string refusal(std::string_view text) {
  auto v = parse_store_verdict(text);
  EXPECT_FALSE(v.ok()) << text;
  return v.ok() ? "" : v.message();
}

TEST(StoreVerdict, WrittenAndReadBack) {
  StoreVerdict v =
      make_store_verdict(kBoot, 1'700'000'000, true, "2 tenants checked, 0 with faults");
  EXPECT_EQ(v.time, "2023-11-14T22:13:20Z");
  std::string text = format_store_verdict(v);
  EXPECT_EQ(
      text,
      "{\"boot_id\":\"0f3c2a9e-6b1d-4c55-9e2f-1a2b3c4d5e6f\",\"reason\":\"2 tenants checked, 0 "
      "with faults\",\"result\":\"ok\",\"time\":\"2023-11-14T22:13:20Z\"}\n");
  auto back = parse_store_verdict(text);
  ASSERT_TRUE(back.ok()) << back.message();
  EXPECT_EQ(back->boot_id, kBoot);
  EXPECT_TRUE(back->ok);
  EXPECT_EQ(back->reason, "2 tenants checked, 0 with faults");

  auto failed = parse_store_verdict(format_store_verdict(make_store_verdict(kBoot, 0, false, "x")));
  ASSERT_TRUE(failed.ok()) << failed.message();
  EXPECT_FALSE(failed->ok);
}

TEST(StoreVerdict, TheReasonIsCutToOneLine) {
  StoreVerdict v = make_store_verdict(kBoot, 0, false, "first\tline\nsecond line");
  EXPECT_EQ(v.reason, "first line");
  v = make_store_verdict(kBoot, 0, false, std::string(600, 'x') + "\xc3\xa9");
  EXPECT_EQ(v.reason.size(), kMaxVerdictReason);
  // A cut through a UTF-8 sequence drops the sequence; a whole one is kept.
  v = make_store_verdict(kBoot, 0, false, std::string(511, 'x') + "\xc3\xa9");
  EXPECT_EQ(v.reason, std::string(511, 'x'));
  EXPECT_TRUE(parse_store_verdict(format_store_verdict(v)).ok());
  v = make_store_verdict(kBoot, 0, false, std::string(510, 'x') + "\xc3\xa9" + "x");
  EXPECT_EQ(v.reason, std::string(510, 'x') + "\xc3\xa9");
  v = make_store_verdict(kBoot, 0, false, "caf\xc3\xa9");
  EXPECT_EQ(v.reason, "caf\xc3\xa9");
}

TEST(StoreVerdict, MalformedFilesAreRefused) {
  const std::string good = format_store_verdict(make_store_verdict(kBoot, 0, true, "ok"));
  ASSERT_TRUE(parse_store_verdict(good).ok());
  EXPECT_THAT(refusal(""), HasSubstr("not valid JSON"));
  EXPECT_THAT(refusal("[1]"), HasSubstr("not a JSON object"));
  EXPECT_THAT(refusal(std::string(5000, ' ')), HasSubstr("at most 4096"));
  EXPECT_THAT(
      refusal(
          R"({"boot_id":"0f3c2a9e-6b1d-4c55-9e2f-1a2b3c4d5e6f","time":"2026-11-23T16:00:00Z","result":"failed","result":"ok","reason":""})"),
      HasSubstr("a key appears twice"));
  EXPECT_THAT(
      refusal(
          R"({"boot_id":"0f3c2a9e-6b1d-4c55-9e2f-1a2b3c4d5e6f","time":"2026-11-23T16:00:00Z","result":"ok","reason":"","extra":1})"),
      HasSubstr("unknown key \"extra\""));
  EXPECT_THAT(refusal(R"({"time":"2026-11-23T16:00:00Z","result":"ok","reason":""})"),
              HasSubstr("no \"boot_id\""));
  EXPECT_THAT(
      refusal(
          R"({"boot_id":"0F3C2A9E-6B1D-4C55-9E2F-1A2B3C4D5E6F","time":"2026-11-23T16:00:00Z","result":"ok","reason":""})"),
      HasSubstr("not a boot id"));
  EXPECT_THAT(
      refusal(
          R"({"boot_id":"0f3c2a9e-6b1d-4c55-9e2f-1a2b3c4d5e6f","time":"2026-11-23 16:00:00","result":"ok","reason":""})"),
      HasSubstr("\"time\" is not"));
  EXPECT_THAT(
      refusal(
          R"({"boot_id":"0f3c2a9e-6b1d-4c55-9e2f-1a2b3c4d5e6f","time":"2026-11-23T16:00:00Z","result":true,"reason":""})"),
      HasSubstr("\"result\" is not a string"));
  EXPECT_THAT(
      refusal(
          R"({"boot_id":"0f3c2a9e-6b1d-4c55-9e2f-1a2b3c4d5e6f","time":"2026-11-23T16:00:00Z","result":"fine","reason":""})"),
      HasSubstr("neither \"ok\" nor \"failed\""));
  EXPECT_THAT(
      refusal(
          R"({"boot_id":"0f3c2a9e-6b1d-4c55-9e2f-1a2b3c4d5e6f","time":"2026-11-23T16:00:00Z","result":"ok","reason":"a\nb"})"),
      HasSubstr("\"reason\" is not one line"));
}

TEST(StoreVerdict, ThisBootHasAnId) {
  auto id = read_boot_id();
  ASSERT_TRUE(id.ok()) << id.message();
  EXPECT_EQ(id->size(), 36u);
}

}  // namespace
}  // namespace appliance
