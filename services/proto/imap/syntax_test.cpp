// NAME
//   syntax_test.cpp - the token reader and mailbox-name encodings.
#include <gtest/gtest.h>

#include "proto/imap/mailbox_name.h"
#include "proto/imap/syntax.h"

namespace appliance::imap {
namespace {

TEST(Reader, AstringForms) {
  Reader r("atom \"quo\\\"ted\" {3}\r\nlit {2+}\r\nab ]x");
  EXPECT_EQ(*r.astring(), "atom");
  ASSERT_TRUE(r.space());
  EXPECT_EQ(*r.astring(), "quo\"ted");
  ASSERT_TRUE(r.space());
  EXPECT_EQ(*r.astring(), "lit");
  ASSERT_TRUE(r.space());
  EXPECT_EQ(*r.astring(), "ab");
  ASSERT_TRUE(r.space());
  EXPECT_EQ(*r.astring(), "]x");  // resp-specials are ASTRING-CHARs
  EXPECT_TRUE(r.end());
}

TEST(Reader, RefusesBrokenStrings) {
  EXPECT_FALSE(Reader("\"open").string());
  EXPECT_FALSE(Reader("\"bad\\escape\"").string());
  EXPECT_FALSE(Reader("{10}\r\nshort").string());
  EXPECT_FALSE(Reader(std::string_view("{3}\r\na\0b", 8)).string());  // NUL needs literal8
  EXPECT_TRUE(Reader(std::string_view("~{3}\r\na\0b", 9)).literal(true));
  EXPECT_FALSE(Reader("\"\xff\"").string());  // not UTF-8
  EXPECT_EQ(*Reader("\"caf\xc3\xa9\"").string(), "caf\xc3\xa9");
}

TEST(Reader, SequenceSets) {
  auto s = Reader("1:*,5,7:9").sequence_set();
  ASSERT_TRUE(s);
  ASSERT_EQ(s->ranges.size(), 3u);
  EXPECT_EQ(s->ranges[0], (Range{1, 0}));
  EXPECT_TRUE(s->contains(100, 100));
  EXPECT_TRUE(s->contains(8, 10));
  EXPECT_TRUE(Reader("$").sequence_set()->saved);
  EXPECT_TRUE(Reader("*:4").sequence_set()->contains(6, 6));
  EXPECT_FALSE(Reader("0").sequence_set());
  EXPECT_FALSE(Reader("1,").sequence_set());
  EXPECT_FALSE(Reader("4294967296").sequence_set());
}

TEST(Reader, Numbers) {
  EXPECT_EQ(*Reader("9223372036854775807").number64(), 9223372036854775807u);
  EXPECT_FALSE(Reader("9223372036854775808").number64());
  EXPECT_FALSE(Reader("x").number());
}

TEST(Reader, DatesAndDateTimes) {
  EXPECT_EQ(*Reader("1-Feb-2024").date(), (Date{2024, 2, 1}));
  EXPECT_EQ(*Reader("\"29-feb-2024\"").date(), (Date{2024, 2, 29}));
  EXPECT_FALSE(Reader("29-Feb-2023").date());
  EXPECT_FALSE(Reader("1-Foo-2024").date());
  EXPECT_FALSE(Reader("1-Feb-24").date());
  auto t = Reader("\" 1-Feb-2024 10:20:30 -0130\"").date_time();
  ASSERT_TRUE(t);
  EXPECT_EQ(t->hour, 10);
  EXPECT_EQ(t->zone_minutes, -90);
  EXPECT_FALSE(Reader("\"01-Feb-2024 24:00:00 +0000\"").date_time());
  EXPECT_FALSE(Reader("\"01-Feb-2024 10:00:00 0000\"").date_time());
}

TEST(Reader, Flags) {
  auto f = Reader("(\\Seen $Junk \\*)").flag_list();
  ASSERT_TRUE(f);
  EXPECT_EQ(*f, (std::vector<std::string>{"\\Seen", "$Junk", "\\*"}));
  EXPECT_TRUE(Reader("()").flag_list()->empty());
  EXPECT_FALSE(Reader("(\\Seen").flag_list());
  EXPECT_FALSE(Reader("(\\Seen  x)").flag_list());
}

TEST(MailboxName, ModifiedUtf7BothWays) {
  // RFC 3501 5.1.3's example.
  EXPECT_EQ(*mutf7_decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
            "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
  EXPECT_EQ(
      mutf7_encode("~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"),
      "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
  EXPECT_EQ(*mutf7_decode("A&-B"), "A&B");
  EXPECT_EQ(mutf7_encode("A&B"), "A&-B");
  EXPECT_EQ(mutf7_encode("\xf0\x9f\x93\xab"), "&2D3c6w-");  // a surrogate pair
  EXPECT_EQ(*mutf7_decode("&2D3c6w-"), "\xf0\x9f\x93\xab");
}

TEST(MailboxName, RefusesNonCanonicalUtf7) {
  EXPECT_FALSE(mutf7_decode("&AGE-"));        // 'a' encoded
  EXPECT_FALSE(mutf7_decode("&U,BTFw"));      // unterminated
  EXPECT_FALSE(mutf7_decode("&2D0-"));        // unpaired surrogate
  EXPECT_FALSE(mutf7_decode("&U,BTF-"));      // bad padding bits
  EXPECT_FALSE(mutf7_decode("caf\xc3\xa9"));  // 8-bit without UTF8=ACCEPT
  EXPECT_EQ(*decode_mailbox("caf\xc3\xa9", true), "caf\xc3\xa9");
  EXPECT_EQ(*decode_mailbox("inbox", false), "INBOX");
  EXPECT_FALSE(decode_mailbox("", false));
}

}  // namespace
}  // namespace appliance::imap
