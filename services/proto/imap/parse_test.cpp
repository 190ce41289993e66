// NAME
//   parse_test.cpp - every command's parser, through describe().
#include <gtest/gtest.h>

#include "proto/imap/command.h"
#include "proto/imap/testing/golden.h"

namespace appliance::imap {
namespace {

// The parsed command described, or "BAD <tag>: <reason>".
std::string parse(std::string_view text, bool utf8 = false) {
  auto p = parse_command(text, ParseContext{utf8});
  if (auto* e = std::get_if<ParseError>(&p)) return "BAD " + e->tag + ": " + e->text;
  auto& t = std::get<Tagged>(p);
  return t.tag + " " + testing::describe(t.command);
}

TEST(Parse, SimpleCommandsAndTags) {
  EXPECT_EQ(parse("a1 capability"), "a1 CAPABILITY");
  EXPECT_EQ(parse("a1 CHECK"), "a1 NOOP");
  EXPECT_EQ(parse("a1 NOOP x"), "BAD a1: NOOP takes no arguments");
  EXPECT_EQ(parse("+ NOOP"), "BAD : Missing or invalid tag");
  EXPECT_EQ(parse("a1"), "BAD a1: Missing command");
  EXPECT_EQ(parse("a1 FROB x"), "BAD a1: Unknown command FROB");
  EXPECT_EQ(parse("a1 SELECT"), "BAD a1: Missing arguments for SELECT");
  EXPECT_EQ(parse("a1 UID FROB 1"), "BAD a1: Unknown UID command FROB");
}

TEST(Parse, LoginAndAuthenticate) {
  EXPECT_EQ(parse("a LOGIN alice \"p w\""), "a LOGIN user=\"alice\" password=(3 octets)");
  EXPECT_EQ(parse("a LOGIN {5}\r\nalice {2}\r\npw"), "a LOGIN user=\"alice\" password=(2 octets)");
  EXPECT_EQ(parse("a LOGIN alice"), "BAD a: Expected a space");
  EXPECT_EQ(parse("a AUTHENTICATE plain"), "a AUTHENTICATE PLAIN");
  EXPECT_EQ(parse("a AUTHENTICATE PLAIN AGFAYg=="), "a AUTHENTICATE PLAIN +initial");
  EXPECT_EQ(parse("a AUTHENTICATE PLAIN ="), "a AUTHENTICATE PLAIN +initial");
}

TEST(Parse, EnableAndId) {
  EXPECT_EQ(parse("a ENABLE condstore UTF8=ACCEPT"), "a ENABLE CONDSTORE UTF8=ACCEPT");
  EXPECT_EQ(parse("a ID NIL"), "a ID");
  EXPECT_EQ(parse("a ID (\"name\" \"mutt\" \"version\" NIL)"), "a ID");
  EXPECT_EQ(parse("a ID (\"name\")"), "BAD a: Expected a space");
}

TEST(Parse, SelectWithCondstoreAndQresync) {
  EXPECT_EQ(parse("a SELECT inbox"), "a SELECT \"INBOX\"");
  EXPECT_EQ(parse("a EXAMINE \"Sent\" (CONDSTORE)"), "a EXAMINE \"Sent\" condstore");
  EXPECT_EQ(parse("a SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))"),
            "a SELECT \"INBOX\" qresync=67890007/20050715194045000 known=41,43:211,214:541");
  EXPECT_EQ(parse("a SELECT INBOX (QRESYNC (1 2 (1:5 10:14)))"),
            "a SELECT \"INBOX\" qresync=1/2 match=1:5/10:14");
  EXPECT_EQ(parse("a SELECT INBOX (FOO)"), "BAD a: Unknown select parameter");
}

TEST(Parse, MailboxManagement) {
  EXPECT_EQ(parse("a CREATE &U,BTFw-"), "a CREATE \"\xe5\x8f\xb0\xe5\x8c\x97\"");
  EXPECT_EQ(parse("a CREATE Arch (USE (\\Archive))"), "a CREATE \"Arch\" use=(\\Archive)");
  EXPECT_EQ(parse("a CREATE \"caf\xc3\xa9\""),
            "BAD a: Mailbox name must be 7-bit (modified UTF-7)");
  EXPECT_EQ(parse("a CREATE \"caf\xc3\xa9\"", true), "a CREATE \"caf\xc3\xa9\"");
  EXPECT_EQ(parse("a CREATE caf\xc3\xa9", true), "BAD a: Unexpected text after the command");
  EXPECT_EQ(parse("a DELETE x"), "a DELETE \"x\"");
  EXPECT_EQ(parse("a RENAME x \"y z\""), "a RENAME \"x\" \"y z\"");
  EXPECT_EQ(parse("a SUBSCRIBE x"), "a SUBSCRIBE \"x\"");
  EXPECT_EQ(parse("a UNSUBSCRIBE x"), "a UNSUBSCRIBE \"x\"");
  EXPECT_EQ(parse("a STATUS x (MESSAGES UIDNEXT SIZE)"), "a STATUS \"x\" (MESSAGES UIDNEXT SIZE)");
  EXPECT_EQ(parse("a STATUS x (FOO)"), "BAD a: Unknown status item FOO");
}

TEST(Parse, ListForms) {
  EXPECT_EQ(parse("a LIST \"\" *"), "a LIST ref=\"\" patterns=\"*\"");
  EXPECT_EQ(parse("a LSUB \"\" %"), "a LSUB ref=\"\" patterns=\"%\"");
  EXPECT_EQ(parse("a LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (INBOX Sent*) RETURN (CHILDREN)"),
            "a LIST ref=\"\" patterns=\"INBOX\",\"Sent*\" select=(SUBSCRIBED RECURSIVEMATCH) "
            "return=(CHILDREN)");
  EXPECT_EQ(parse("a LIST \"\" % RETURN (SPECIAL-USE STATUS (MESSAGES UNSEEN))"),
            "a LIST ref=\"\" patterns=\"%\" return=(SPECIAL-USE STATUS) status=(MESSAGES UNSEEN)");
  EXPECT_EQ(parse("a LIST (BOGUS) \"\" *"), "BAD a: Unknown LIST option BOGUS");
}

TEST(Parse, Append) {
  EXPECT_EQ(parse("a APPEND INBOX {3}\r\nabc"), "a APPEND \"INBOX\" [flags=() 3 octets]");
  EXPECT_EQ(parse("a APPEND x (\\Seen) \"01-Feb-2024 10:00:00 +0100\" {1+}\r\nz"),
            "a APPEND \"x\" [flags=(\\Seen) date=\"01-Feb-2024 10:00:00 +0100\" 1 octets]");
  EXPECT_EQ(parse(std::string_view("a APPEND x ~{2}\r\n\0z {1}\r\ny", 26)),
            "a APPEND \"x\" [flags=() 2 octets binary] [flags=() 1 octets]");
  EXPECT_EQ(parse("a APPEND x text"), "BAD a: Expected the message as a literal");
  EXPECT_EQ(parse("a APPEND x (\\Recent) {1}\r\nz"), "BAD a: Flag \\Recent cannot be appended");
}

// Messages are matched in UTF-8: strings in another charset are converted.
TEST(Parse, SearchStringsInOtherCharsetsBecomeUtf8) {
  SearchKey key{.kind = SearchKey::Kind::and_};
  key.children.push_back({.kind = SearchKey::Kind::subject, .text = "caf\xe9"});
  key.children.push_back({.kind = SearchKey::Kind::not_});
  key.children.back().children.push_back({.kind = SearchKey::Kind::body, .text = "\xd0\xd2"});
  auto latin1 = search_in_utf8(key, "ISO-8859-1");
  ASSERT_TRUE(latin1) << latin1.message();
  EXPECT_EQ(latin1->children[0].text, "caf\xc3\xa9");
  EXPECT_EQ(latin1->children[1].children[0].text, "\xc3\x90\xc3\x92");
  auto koi8 = search_in_utf8(key, "KOI8-R");
  ASSERT_TRUE(koi8);
  EXPECT_EQ(koi8->children[1].children[0].text, "\xd0\xbf\xd1\x80");  // "пр"
  EXPECT_EQ(search_in_utf8(key, "UTF-8")->children[0].text, "caf\xe9") << "taken as it is";
  EXPECT_TRUE(searchable_charset("WINDOWS-1252"));
  EXPECT_TRUE(searchable_charset(std::nullopt));
  EXPECT_FALSE(searchable_charset("X-NO-SUCH-CHARSET"));
  EXPECT_EQ(search_in_utf8(key, "X-NO-SUCH-CHARSET").message(),
            "unsupported charset X-NO-SUCH-CHARSET");
  SearchKey cut{.kind = SearchKey::Kind::text, .text = "\x82"};  // half a Shift_JIS letter
  EXPECT_EQ(search_in_utf8(cut, "SHIFT_JIS").message(), "a search string is not valid SHIFT_JIS");
}

TEST(Parse, Search) {
  EXPECT_EQ(parse("a SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\""),
            "a SEARCH (AND FLAGGED SINCE 1994-02-01 (NOT FROM \"Smith\"))");
  EXPECT_EQ(parse("a UID SEARCH OR (SEEN 1:5) HEADER X-Foo bar"),
            "a UID SEARCH (AND (OR (AND SEEN SEQ 1:5) HEADER X-FOO \"bar\"))");
  EXPECT_EQ(parse("a SEARCH RETURN (MIN COUNT) CHARSET utf-8 TEXT {4}\r\nf\xc3\xbcr"),
            "a SEARCH charset=UTF-8 return=(MIN COUNT) (AND TEXT \"f\xc3\xbcr\")");
  EXPECT_EQ(parse("a SEARCH RETURN () UID 1:* LARGER 10 MODSEQ 5 YOUNGER 60"),
            "a SEARCH return=() (AND UID 1:* LARGER 10 MODSEQ 5 YOUNGER 60)");
  EXPECT_EQ(parse("a SEARCH KEYWORD $Junk UNKEYWORD foo $"),
            "a SEARCH (AND KEYWORD $Junk UNKEYWORD foo SEQ $)");
  EXPECT_EQ(parse("a SEARCH FROB"), "BAD a: Unknown search key FROB");
  EXPECT_EQ(parse("a SEARCH OR SEEN"), "BAD a: Expected a space");
  std::string deep = "a SEARCH " + std::string(40, '(') + "SEEN" + std::string(40, ')');
  EXPECT_EQ(parse(deep), "BAD a: Search keys nested too deeply");
}

TEST(Parse, Fetch) {
  EXPECT_EQ(parse("a FETCH 1:* FAST"), "a FETCH 1:* (FLAGS INTERNALDATE RFC822.SIZE)");
  EXPECT_EQ(parse("a FETCH 2 full"), "a FETCH 2 (FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY)");
  EXPECT_EQ(parse("a UID FETCH 1:5 (UID BODY.PEEK[HEADER.FIELDS (From Subject)]<0.512>)"),
            "a UID FETCH 1:5 (UID BODY[HEADER.FIELDS (FROM SUBJECT)]<0>(peek)(len 512))");
  EXPECT_EQ(parse("a FETCH 1 (BODY[1.2.MIME] BODY[3.TEXT] BODY[] BINARY.PEEK[1]<5.10> "
                  "BINARY.SIZE[2] BODYSTRUCTURE MODSEQ)"),
            "a FETCH 1 (BODY[1.2.MIME] BODY[3.TEXT] BODY[] BINARY[1]<5>(peek)(len 10) "
            "BINARY.SIZE[2] BODYSTRUCTURE MODSEQ)");
  EXPECT_EQ(parse("a UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345 VANISHED)"),
            "a UID FETCH 1:* (FLAGS) changedsince=12345 vanished");
  EXPECT_EQ(parse("a FETCH 1 (FLAGS) (VANISHED)"),
            "BAD a: VANISHED needs UID FETCH and CHANGEDSINCE");
  EXPECT_EQ(parse("a FETCH 1 BODY[MIME]"), "BAD a: MIME needs a part number");
  EXPECT_EQ(parse("a FETCH 1 BINARY[HEADER]"), "BAD a: BINARY takes part numbers only");
  EXPECT_EQ(parse("a FETCH 1 (FLAGS"), "BAD a: Expected ')' after fetch items");
  EXPECT_EQ(parse("a FETCH 1 BODY[]<0.0>"), "BAD a: Expected <origin.length>");
}

TEST(Parse, StoreCopyMoveExpunge) {
  EXPECT_EQ(parse("a STORE 2:4 +FLAGS.SILENT (\\Deleted)"), "a STORE 2:4 add silent (\\Deleted)");
  EXPECT_EQ(parse("a UID STORE 1 (UNCHANGEDSINCE 9) -FLAGS \\Seen $X"),
            "a UID STORE 1 remove (\\Seen $X) unchangedsince=9");
  EXPECT_EQ(parse("a STORE 1 FLAGS ()"), "a STORE 1 replace ()");
  EXPECT_EQ(parse("a STORE 1 +FLAGS (\\Recent)"), "BAD a: Flag \\Recent cannot be stored");
  EXPECT_EQ(parse("a STORE 1 FLOGS x"),
            "BAD a: Expected FLAGS, +FLAGS or -FLAGS, optionally .SILENT");
  EXPECT_EQ(parse("a COPY 1:3 Trash"), "a COPY 1:3 \"Trash\"");
  EXPECT_EQ(parse("a UID MOVE 4,7 Archive"), "a UID MOVE 4,7 \"Archive\"");
  EXPECT_EQ(parse("a UID EXPUNGE 3000:3002"), "a UID EXPUNGE 3000:3002");
  EXPECT_EQ(parse("a EXPUNGE"), "a EXPUNGE");
}

// SEARCHRES (RFC 5182): SAVE among the RETURN options; "$" wherever a sequence
// set goes, as a search key too, alone (seq-last-command), and not in SELECT's
// QRESYNC parameters: SELECT empties it, so it could only name another mailbox's.
TEST(Parse, SavedResult) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"a UID SEARCH RETURN (SAVE MIN) UID $ OR $ 1:5",
       "a UID SEARCH return=(SAVE MIN) (AND UID $ (OR SEQ $ SEQ 1:5))"},
      {"a SEARCH RETURN (save) CHARSET KOI8-R ALL",
       "a SEARCH charset=KOI8-R return=(SAVE) (AND ALL)"},
      {"a SEARCH $,1", "BAD a: Unexpected text after the command"},
      {"a SEARCH 1,$", "BAD a: Invalid sequence set: Expected a number"},
      {"a FETCH $:4 FLAGS", "BAD a: Expected a space"},
      {"a UID FETCH $ (FLAGS)", "a UID FETCH $ (FLAGS)"},
      {"a STORE $ +FLAGS (\\Seen)", "a STORE $ add (\\Seen)"},
      {"a UID COPY $ Trash", "a UID COPY $ \"Trash\""},
      {"a MOVE $ Trash", "a MOVE $ \"Trash\""},
      {"a UID EXPUNGE $", "a UID EXPUNGE $"},
      {"a SELECT INBOX (QRESYNC (1 2 $))", "BAD a: \"$\" is not allowed in QRESYNC parameters"},
      {"a SELECT INBOX (QRESYNC (1 2 1:5 ($ 1:5)))",
       "BAD a: \"$\" is not allowed in QRESYNC parameters"},
  };
  for (auto [in, out] : cases) EXPECT_EQ(parse(in), out) << in;
}

}  // namespace
}  // namespace appliance::imap
