// NAME
//   metadata_test.cpp - date-times, names and the metadata parsers' refusals.
#include "tuf/metadata.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tuf/datetime.h"
#include "tuf/names.h"
#include "tuf/testing/repository_simulator.h"

namespace appliance::tuf {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

TEST(Datetime, ParsesAndFormats) {
  EXPECT_EQ(*parse_datetime("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*parse_datetime("2030-01-01T00:00:00Z"), 1893456000);
  EXPECT_EQ(*parse_datetime("1985-10-21T01:21:00Z"), 498705660);
  EXPECT_EQ(*parse_datetime("2024-02-29T23:59:59Z"), 1709251199);
  EXPECT_EQ(format_datetime(1893456000), "2030-01-01T00:00:00Z");
  EXPECT_EQ(format_datetime(1709251199), "2024-02-29T23:59:59Z");
  EXPECT_EQ(format_datetime(-1), "1969-12-31T23:59:59Z");
  for (std::int64_t t : {0LL, 951782400LL, 4102444800LL, 253402300799LL}) {
    EXPECT_EQ(*parse_datetime(format_datetime(t)), t);
  }
}

TEST(Datetime, RefusesOtherForms) {
  for (const char* bad :
       {"2030-01-01", "2030-01-01T00:00:00", "2030-01-01T00:00:00+00:00", "2030-01-01 00:00:00Z",
        "2030-01-01T00:00:00.5Z", "2023-02-29T00:00:00Z", "2030-13-01T00:00:00Z",
        "2030-00-10T00:00:00Z", "2030-01-01T24:00:00Z", "2030-01-01T00:60:00Z",
        "2030-01-01T00:00:60Z", "+030-01-01T00:00:00Z", "2030-01-32T00:00:00Z"}) {
    EXPECT_FALSE(parse_datetime(bad).ok()) << bad;
  }
}

TEST(Names, EncodeRoleNamesIntoOneSafeComponent) {
  EXPECT_EQ(role_file_name("targets"), "targets.json");
  EXPECT_EQ(role_file_name("../etc/passwd"), "..%2Fetc%2Fpasswd.json");
  EXPECT_EQ(role_file_name("a b%"), "a%20b%25.json");
  EXPECT_EQ(metadata_url("https://r/m", "root", 3), "https://r/m/3.root.json");
  EXPECT_EQ(metadata_url("https://r/m//", "stable", std::nullopt), "https://r/m/stable.json");
  EXPECT_EQ(target_url("https://r/t/", "dir/a b.img", std::nullopt), "https://r/t/dir/a%20b.img");
  EXPECT_EQ(target_url("https://r/t", "dir/x.img", "abc"), "https://r/t/dir/abc.x.img");
}

// A signed body from a fresh simulated repository, for mutation.
json body_of(const std::string& role) {
  auto sim = testing::RepositorySimulator::create().value();
  if (role == "root") return sim->root;
  if (role == "timestamp") return sim->timestamp;
  if (role == "snapshot") return sim->snapshot;
  return sim->targets.at(role);
}

std::string doc(const json& body) {
  return json{{"signed", body}, {"signatures", json::array()}}.dump();
}

template <class Parse>
std::string message_of(Parse parse, const std::string& bytes) {
  auto parsed = parse(bytes);
  return parsed ? std::string("<ok>") : parsed.message();
}

std::string parse_message(const std::string& role, const json& body) {
  std::string bytes = doc(body);
  if (role == "root") return message_of(parse_root, bytes);
  if (role == "timestamp") return message_of(parse_timestamp, bytes);
  if (role == "snapshot") return message_of(parse_snapshot, bytes);
  return message_of(parse_targets, bytes);
}

TEST(Parse, AcceptsWhatTheSimulatorWrites) {
  for (const char* role : {"root", "timestamp", "snapshot", "targets"}) {
    EXPECT_EQ(parse_message(role, body_of(role)), "<ok>") << role;
  }
}

TEST(Parse, CommonFields) {
  for (const char* role : {"root", "timestamp", "snapshot", "targets"}) {
    json b = body_of(role);
    b["_type"] = "mirrors";
    EXPECT_THAT(parse_message(role, b), HasSubstr("has _type \"mirrors\""));
    b = body_of(role);
    b["spec_version"] = "2.0.0";
    EXPECT_THAT(parse_message(role, b), HasSubstr("unsupported spec_version \"2.0.0\""));
    b = body_of(role);
    b["version"] = 0;
    EXPECT_THAT(parse_message(role, b), HasSubstr("\"version\" >= 1"));
    b["version"] = -3;
    EXPECT_THAT(parse_message(role, b), HasSubstr("\"version\" >= 1"));
    b["version"] = "7";
    EXPECT_THAT(parse_message(role, b), HasSubstr("\"version\" >= 1"));
    b = body_of(role);
    b["expires"] = "2030-01-01";
    EXPECT_THAT(parse_message(role, b), HasSubstr("invalid date-time"));
    b = body_of(role);
    b.erase("expires");
    EXPECT_THAT(parse_message(role, b), HasSubstr("needs string \"expires\""));
  }
}

TEST(Parse, RootRefusals) {
  json b = body_of("root");
  b["roles"].erase("snapshot");
  EXPECT_THAT(parse_message("root", b), HasSubstr("lacks role \"snapshot\""));
  b = body_of("root");
  b["roles"]["root"]["threshold"] = 0;
  EXPECT_THAT(parse_message("root", b), HasSubstr("\"threshold\" >= 1"));
  b = body_of("root");
  b["roles"]["root"]["keyids"].push_back(b["roles"]["root"]["keyids"][0]);
  EXPECT_THAT(parse_message("root", b), HasSubstr("repeats"));
  b = body_of("root");
  b["consistent_snapshot"] = "yes";
  EXPECT_THAT(parse_message("root", b), HasSubstr("needs boolean \"consistent_snapshot\""));
  b = body_of("root");
  std::string id = b["keys"].begin().key();
  b["keys"][id]["keyval"]["public"] = std::string(64, 'a');
  EXPECT_THAT(parse_message("root", b), HasSubstr("does not match its key"));
}

TEST(Parse, KeepsUnknownFieldsUnderTheSignature) {
  json b = body_of("targets");
  b["x-appliance"] = {{"note", "kept"}};
  auto md = parse_targets(doc(b));
  ASSERT_TRUE(md.ok()) << md.message();
  EXPECT_THAT(md->envelope.signed_bytes, HasSubstr(R"("x-appliance":{"note":"kept"})"));
}

TEST(Parse, TimestampListsOnlySnapshot) {
  json b = body_of("timestamp");
  b["meta"]["targets.json"] = {{"version", 1}};
  EXPECT_THAT(parse_message("timestamp", b), HasSubstr("exactly \"snapshot.json\""));
  b = body_of("timestamp");
  b["meta"]["snapshot.json"]["length"] = -1;
  EXPECT_THAT(parse_message("timestamp", b), HasSubstr("\"length\" >= 0"));
  b = body_of("timestamp");
  b["meta"]["snapshot.json"]["hashes"]["sha256"] = "not hex";
  EXPECT_THAT(parse_message("timestamp", b), HasSubstr("not a hex string"));
}

TEST(Parse, TargetsRefusals) {
  json b = body_of("targets");
  b["targets"]["a"] = {{"length", 1}, {"hashes", json::object()}};
  EXPECT_THAT(parse_message("targets", b), HasSubstr("lists no hashes"));
  b["targets"]["a"] = {{"length", 1}, {"hashes", {{"sha256", "00"}}}, {"custom", 3}};
  EXPECT_THAT(parse_message("targets", b), HasSubstr("needs object \"custom\""));
  b["targets"]["a"] = {{"hashes", {{"sha256", "00"}}}};
  EXPECT_THAT(parse_message("targets", b), HasSubstr("\"length\""));
}

json delegation(const std::string& name) {
  return {{"name", name},
          {"keyids", json::array()},
          {"threshold", 1},
          {"terminating", false},
          {"paths", {"*"}}};
}

TEST(Parse, DelegationRefusals) {
  json b = body_of("targets");
  b["delegations"] = {{"keys", json::object()}, {"roles", {delegation("stable")}}};
  EXPECT_EQ(parse_message("targets", b), "<ok>");
  for (const char* reserved : {"root", "timestamp", "snapshot", "targets", ""}) {
    b["delegations"]["roles"] = {delegation(reserved)};
    EXPECT_THAT(parse_message("targets", b), HasSubstr("reserved or empty name")) << reserved;
  }
  b["delegations"]["roles"] = {delegation("stable"), delegation("stable")};
  EXPECT_THAT(parse_message("targets", b), HasSubstr("listed twice"));
  json both = delegation("beta");
  both["path_hash_prefixes"] = {"ab"};
  b["delegations"]["roles"] = {both};
  EXPECT_THAT(parse_message("targets", b), HasSubstr("exactly one of"));
  json prefixes = delegation("beta");
  prefixes.erase("paths");
  prefixes["path_hash_prefixes"] = {"AB"};
  b["delegations"]["roles"] = {prefixes};
  EXPECT_THAT(parse_message("targets", b), HasSubstr("not lowercase hex"));
  prefixes["path_hash_prefixes"] = {"ab"};
  b["delegations"]["roles"] = {prefixes};
  auto md = parse_targets(doc(b));
  ASSERT_TRUE(md.ok()) << md.message();
  EXPECT_TRUE(md->signed_.delegations->roles[0].by_hash_prefix);
}

TEST(Parse, EnvelopeRefusals) {
  EXPECT_THAT(parse_targets("[]").message(), HasSubstr("malformed targets metadata"));
  EXPECT_THAT(parse_targets(R"({"signed":{}})").message(), HasSubstr("signatures"));
  EXPECT_THAT(parse_targets(R"({"signatures":[{"keyid":1,"sig":"00"}],"signed":{}})").message(),
              HasSubstr("keyid"));
  EXPECT_THAT(parse_targets(R"({"signatures":[],"signed":{"version":1.0}})").message(),
              HasSubstr("floats are not allowed"));
}

}  // namespace
}  // namespace appliance::tuf
