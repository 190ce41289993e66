// NAME
//   tags_test.cpp - the tag-list parser, the key record and the key list.
#include <gtest/gtest.h>

#include "proto/dkim/key_list.h"
#include "proto/dkim/key_record.h"
#include "proto/dkim/tags.h"

namespace appliance::dkim {
namespace {

TEST(Tags, ValuesWithFoldingAndAFinalSemicolon) {
  auto t = parse_tags(" v=1; a = rsa-sha256 ;\r\n\tb=ab\r\n cd; e=;");
  ASSERT_TRUE(t) << t.message();
  EXPECT_EQ(*t->get("v"), "1");
  EXPECT_EQ(*t->get("a"), "rsa-sha256");
  EXPECT_EQ(*t->get("b"), "ab\r\n cd");
  EXPECT_EQ(*t->get("e"), "");
  EXPECT_FALSE(t->get("x"));
  EXPECT_TRUE(parse_tags("a=1; ").ok());
}

TEST(Tags, RefusalsNameTheProblem) {
  auto msg = [](std::string_view text) {
    auto t = parse_tags(text);
    return t ? std::string("accepted") : t.message();
  };
  EXPECT_EQ(msg("a=1; a=2"), "duplicate tag a");
  EXPECT_EQ(msg("a=1;; b=2"), "empty tag-spec in tag-list");
  EXPECT_EQ(msg("a=1; b"), "tag-spec \"b\" has no '='");
  EXPECT_EQ(msg("1a=x"), "bad tag name \"1a\"");
  EXPECT_EQ(msg("a-b=x"), "bad tag name \"a-b\"");
  EXPECT_EQ(msg("a=x\x01y"), "tag a: byte 0x01 not allowed in a value");
  EXPECT_EQ(msg("a=x\r\ny"), "bad line folding in tag-list");
  EXPECT_EQ(msg("a=x\ny"), "bare LF in tag-list");
  EXPECT_EQ(msg(""), "empty tag-spec in tag-list");
  EXPECT_EQ(msg("a=\xc3\xa9"), "tag a: byte 0xc3 not allowed in a value");
}

TEST(Tags, ColonListsAndFws) {
  EXPECT_EQ(split_colons("from : to :\r\n subject"),
            (std::vector<std::string>{"from", "to", "subject"}));
  EXPECT_EQ(strip_fws("ab\r\n c d"), "abcd");
}

TEST(KeyRecord, RsaAndEd25519) {
  auto ed = parse_key_record("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
  ASSERT_TRUE(ed) << ed.message();
  EXPECT_EQ(ed->type, KeyType::ed25519);
  EXPECT_EQ(ed->public_key.size(), 32u);
  auto rsa = parse_key_record("p=AAAA; t=y:s; s=email");
  ASSERT_TRUE(rsa) << rsa.message();
  EXPECT_EQ(rsa->type, KeyType::rsa);
  EXPECT_TRUE(rsa->testing);
  EXPECT_TRUE(rsa->strict);
  auto revoked = parse_key_record("v=DKIM1; p=");
  ASSERT_TRUE(revoked);
  EXPECT_TRUE(revoked->revoked);
}

TEST(KeyRecord, Refusals) {
  auto msg = [](std::string_view text) {
    auto r = parse_key_record(text);
    return r ? std::string("accepted") : r.message();
  };
  EXPECT_EQ(msg("k=rsa"), "tag p is missing");
  EXPECT_EQ(msg("v=DKIM2; p=AAAA"), "tag v: not DKIM1");
  EXPECT_EQ(msg("k=rsa; v=DKIM1; p=AAAA"), "tag v: not the first tag");
  EXPECT_EQ(msg("k=dsa; p=AAAA"), "tag k: unknown key type \"dsa\"");
  EXPECT_EQ(msg("h=sha1; p=AAAA"), "tag h: sha256 is not allowed");
  EXPECT_EQ(msg("s=tls; p=AAAA"), "tag s: not for email");
  EXPECT_EQ(msg("p=A"), "tag p: not base64");
  EXPECT_EQ(msg("k=ed25519; p=AAAA"), "tag p: an Ed25519 key is 32 octets");
}

TEST(KeyRecord, ComposedAndCutIntoStrings) {
  std::string key(300, 'k');
  std::string record = compose_key_record(KeyType::rsa, key);
  EXPECT_TRUE(record.starts_with("v=DKIM1; k=rsa; p="));
  auto parsed = parse_key_record(record);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->public_key, key);
  auto strings = txt_strings(record);
  ASSERT_EQ(strings.size(), 2u);
  EXPECT_EQ(strings[0].size(), 255u);
  EXPECT_EQ(strings[0] + strings[1], record);
}

TEST(KeyList, SettingNamesTheDomainAndListsNamesBySpaces) {
  EXPECT_EQ(key_list_setting("example.test"), "dkim:example.test");
  EXPECT_EQ(parse_key_list(" dkim/a.test/r1  dkim/a.test/e1\t"),
            (std::vector<std::string>{"dkim/a.test/r1", "dkim/a.test/e1"}));
  EXPECT_TRUE(parse_key_list("").empty());
  EXPECT_EQ(compose_key_list({"dkim/a.test/r1", "dkim/a.test/e1"}), "dkim/a.test/r1 dkim/a.test/e1");
}

}  // namespace
}  // namespace appliance::dkim
