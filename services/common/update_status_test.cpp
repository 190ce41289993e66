// NAME
//   update_status_test.cpp - updated's status file: written, read back, and
//   every malformed file refused with its reason.
#include "common/update_status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace appliance {
namespace {

UpdateStatus available() {
  UpdateStatus s;
  s.channel = "stable";
  s.install = "notify";
  s.state = "checking";
  s.last_check = "2026-11-02T10:00:00Z";
  s.result = "available";
  s.message = "version 2.0 is available";
  s.running_version = "1.0";
  s.available_version = "2.0";
  return s;
}

std::string refusal(std::string_view text) {
  auto r = parse_update_status(text);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? "" : r.message();
}

TEST(UpdateStatus, WrittenAndReadBack) {
  auto back = parse_update_status(format_update_status(available()));
  ASSERT_TRUE(back.ok()) << back.message();
  EXPECT_EQ(back->channel, "stable");
  EXPECT_EQ(back->install, "notify");
  EXPECT_EQ(back->last_check, "2026-11-02T10:00:00Z");
  EXPECT_EQ(back->result, "available");
  EXPECT_EQ(back->message, "version 2.0 is available");
  EXPECT_EQ(back->available_version, "2.0");
  EXPECT_EQ(back->pending_version, "");

  UpdateStatus idle = available();
  idle.state = "idle";
  idle.last_check.reset();
  idle.result = "not checked yet";
  idle.message = "first\nsecond";
  auto again = parse_update_status(format_update_status(idle));
  ASSERT_TRUE(again.ok()) << again.message();
  EXPECT_FALSE(again->last_check);
  EXPECT_EQ(again->message, "first");
}

TEST(UpdateStatus, MalformedFilesAreRefusedWithTheirReason) {
  const std::string good = format_update_status(available());
  auto with = [&](const char* key, const char* value) {
    nlohmann::json doc = nlohmann::json::parse(good);
    doc[key] = nlohmann::json::parse(value);
    return doc.dump();
  };
  EXPECT_EQ(refusal(std::string(kMaxUpdateStatus + 1, ' ')),
            "update status: 16385 bytes, at most 16384");
  EXPECT_EQ(refusal("{\"channel\":"), "update status: not valid JSON");
  EXPECT_EQ(refusal(R"({"channel":"stable","channel":"beta"})"),
            "update status: a key appears twice");
  EXPECT_EQ(refusal(with("extra", "1")), "update status: unknown key \"extra\"");
  EXPECT_EQ(refusal(with("channel", "\"nightly\"")),
            "update status: \"channel\" is not one of its words");
  EXPECT_EQ(refusal(with("install", "\"always\"")),
            "update status: \"install\" is not one of its words");
  EXPECT_EQ(refusal(with("result", "\"great\"")),
            "update status: \"result\" is not one of its words");
  EXPECT_EQ(refusal(with("last_check", "\"yesterday\"")),
            "update status: \"last_check\" is neither null nor YYYY-MM-DDTHH:MM:SSZ");
  EXPECT_EQ(refusal(with("boot", "\"a\\u0007b\"")),
            "update status: \"boot\" is not one line of at most 2048 bytes");
  EXPECT_EQ(refusal(with("message", "7")), "update status: \"message\" is not a string");
  nlohmann::json missing = nlohmann::json::parse(good);
  missing.erase("pending_version");
  EXPECT_EQ(refusal(missing.dump()), "update status: no \"pending_version\"");
}

}  // namespace
}  // namespace appliance
