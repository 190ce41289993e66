// NAME
//   canonical_json_test.cpp - canonical JSON vectors and the strict reader.
#include "tuf/canonical_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace appliance::tuf {
namespace {

std::string canon(std::string_view text) {
  auto parsed = parse_json(text);
  if (!parsed) return "parse error: " + parsed.message();
  auto c = canonical_json(*parsed);
  return c ? *c : "encode error: " + c.message();
}

std::string parse_error(std::string_view text) {
  auto parsed = parse_json(text);
  return parsed ? std::string("<parsed>") : parsed.message();
}

TEST(CanonicalJson, SortsKeysAndDropsWhitespace) {
  EXPECT_EQ(canon(R"({ "b" : 1, "a" : [ true, false, null ], "c" : "x" })"),
            R"({"a":[true,false,null],"b":1,"c":"x"})");
  EXPECT_EQ(canon(R"({"z": {"y": 2, "x": 1}, "a": {}})"), R"({"a":{},"z":{"x":1,"y":2}})");
  EXPECT_EQ(canon("[]"), "[]");
  EXPECT_EQ(canon("{}"), "{}");
}

TEST(CanonicalJson, SortsByCodePoint) {
  EXPECT_EQ(canon(R"({"a":3,"é":4,"_":2,"B":1})"), R"({"B":1,"_":2,"a":3,"é":4})");
  EXPECT_EQ(canon(R"({"ab":1,"a":2,"b":3})"), R"({"a":2,"ab":1,"b":3})");
}

TEST(CanonicalJson, EscapesOnlyQuoteAndBackslash) {
  // Input escapes are decoded; only '"' and '\' are escaped again. Control
  // characters and non-ASCII stay raw bytes, as securesystemslib writes them.
  EXPECT_EQ(canon(R"(["q\"b\\n\nt\t\u00e9\u0001"])"),
            std::string("[\"q\\\"b\\\\n\nt\t\xc3\xa9\x01\"]"));
  EXPECT_EQ(canon(R"("/\/")"), "\"//\"");
}

TEST(CanonicalJson, Integers) {
  EXPECT_EQ(canon("[-5, 0, 7, 18446744073709551615, -9223372036854775808]"),
            "[-5,0,7,18446744073709551615,-9223372036854775808]");
}

TEST(CanonicalJson, TufKeyObject) {
  // The key id of a python-tuf test key, which was computed over the key with
  // its legacy "keyid_hash_algorithms" field.
  EXPECT_EQ(canon(R"({"keytype": "ed25519", "scheme": "ed25519",
      "keyid_hash_algorithms": ["sha256", "sha512"],
      "keyval": {"public": "b11d2ff132c033a657318c74c39526476c56de7556c776f11070842dbc4ac14c"}})"),
            R"({"keyid_hash_algorithms":["sha256","sha512"],"keytype":"ed25519","keyval":)"
            R"({"public":"b11d2ff132c033a657318c74c39526476c56de7556c776f11070842dbc4ac14c"},)"
            R"("scheme":"ed25519"})");
}

TEST(StrictJson, RefusesFloats) {
  EXPECT_THAT(parse_error("[1.5]"), ::testing::HasSubstr("floats are not allowed"));
  EXPECT_THAT(parse_error("[1e3]"), ::testing::HasSubstr("floats are not allowed"));
  EXPECT_THAT(parse_error("[18446744073709551616]"), ::testing::HasSubstr("floats"));
  EXPECT_FALSE(canonical_json(nlohmann::json(1.5)).ok());
}

TEST(StrictJson, RefusesDuplicateKeys) {
  EXPECT_THAT(parse_error(R"({"a":1,"a":2})"), ::testing::HasSubstr("duplicate object key \"a\""));
  EXPECT_THAT(parse_error(R"({"x":{"a":1,"b":{},"a":2}})"), ::testing::HasSubstr("duplicate"));
  EXPECT_EQ(parse_error(R"([{"a":1},{"a":2}])"), "<parsed>");
}

TEST(StrictJson, RefusesDeepNesting) {
  std::string ok(kMaxJsonDepth, '[');
  ok += std::string(kMaxJsonDepth, ']');
  EXPECT_EQ(parse_error(ok), "<parsed>");
  std::string deep(kMaxJsonDepth + 1, '[');
  deep += std::string(kMaxJsonDepth + 1, ']');
  EXPECT_THAT(parse_error(deep), ::testing::HasSubstr("nesting deeper"));
  std::string very_deep(100000, '[');
  EXPECT_THAT(parse_error(very_deep), ::testing::HasSubstr("nesting deeper"));
}

TEST(StrictJson, RefusesMalformedInput) {
  for (std::string_view bad : {"", "{", "{} x", "{\"a\":}", "[1,]", "\"\xff\"", "'a'", "nul"}) {
    EXPECT_THAT(parse_error(bad), ::testing::HasSubstr("invalid JSON")) << bad;
  }
}

TEST(StrictJson, KeepsStructure) {
  auto v = parse_json(R"({"a":[1,{"b":null}],"c":{"d":"e"},"f":-1})");
  ASSERT_TRUE(v.ok()) << v.message();
  EXPECT_EQ((*v)["a"][1]["b"], nullptr);
  EXPECT_EQ((*v)["c"]["d"], "e");
  EXPECT_EQ((*v)["f"], -1);
  EXPECT_EQ(v->dump(), R"({"a":[1,{"b":null}],"c":{"d":"e"},"f":-1})");
}

}  // namespace
}  // namespace appliance::tuf
