// NAME
//   json_body_test.cpp - request bodies: limits and precise messages.
#include "webd/json_body.h"

#include <gtest/gtest.h>

namespace appliance::webd {
namespace {

TEST(JsonBody, ObjectsWithinTheLimitsAreRead) {
  auto j = parse_json_body(R"({"address":"a@b.test","n":[1,{"x":null}]})");
  ASSERT_TRUE(j.ok()) << j.message();
  EXPECT_EQ(string_field(*j, "address", 10).value(), "a@b.test");
  EXPECT_EQ(string_field(*j, "address", 3).message(), "\"address\" is over 3 bytes");
  EXPECT_EQ(string_field(*j, "missing", 3).message(), "\"missing\" is missing");
  EXPECT_EQ(string_field(*j, "missing", 3, true).value(), "");
  EXPECT_EQ(string_field(*j, "n", 3).message(), "\"n\" must be a string");
  EXPECT_FALSE(integer_field(*j, "missing").value());
  EXPECT_EQ(integer_field(*j, "address").message(), "\"address\" must be an integer");
}

TEST(JsonBody, RefusalsSayWhy) {
  EXPECT_EQ(parse_json_body("").message(), "the request needs a JSON body");
  EXPECT_EQ(parse_json_body("[1]").message(), "the JSON body must be an object");
  EXPECT_TRUE(parse_json_body("{\"a\":").message().starts_with("malformed JSON: parse error"));
  EXPECT_EQ(parse_json_body(std::string(40, '[')).message(),
            "malformed JSON: JSON nested deeper than 16 levels");
  EXPECT_EQ(parse_json_body("{\"a\":\"" + std::string(70000, 'x') + "\"}").message(),
            "the JSON body is over 65536 bytes");
  EXPECT_TRUE(parse_json_body("{} {}").message().starts_with("malformed JSON"));
  auto j = parse_json_body(R"({"n":18446744073709551615})");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(integer_field(*j, "n").message(), "\"n\" is too large");
}

}  // namespace
}  // namespace appliance::webd
