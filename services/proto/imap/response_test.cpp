// NAME
//   response_test.cpp - responses, strings, codes, FETCH and SEARCH rendering.
#include <gtest/gtest.h>

#include "proto/imap/response.h"

namespace appliance::imap {
namespace {

TEST(Response, StatusLinesAreSafe) {
  EXPECT_EQ(status_response("a1", Cond::ok, "UIDVALIDITY 3", "Done"),
            "a1 OK [UIDVALIDITY 3] Done\r\n");
  EXPECT_EQ(status_response("", Cond::bye, "", ""), "* BYE Closing connection\r\n");
  EXPECT_EQ(status_response("a", Cond::no, "", "x\r\n* OK forged"), "a NO x??* OK forged\r\n");
}

TEST(Response, StringsChooseASafeForm) {
  EXPECT_EQ(quote("plain"), "\"plain\"");
  EXPECT_EQ(quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(quote("two\r\nlines"), "{10}\r\ntwo\r\nlines");
  EXPECT_EQ(quote("caf\xc3\xa9"), "{5}\r\ncaf\xc3\xa9");
  EXPECT_EQ(quote("caf\xc3\xa9", true), "\"caf\xc3\xa9\"");
  EXPECT_EQ(literal(std::string_view("a\0b", 3)),
            "{3}\r\na\x80"
            "b");
  EXPECT_EQ(astring("INBOX"), "INBOX");
  EXPECT_EQ(astring("NIL"), "\"NIL\"");
  EXPECT_EQ(astring(""), "\"\"");
  EXPECT_EQ(nstring(std::nullopt), "NIL");
  EXPECT_EQ(mailbox("\xe5\x8f\xb0\xe5\x8c\x97", false), "&U,BTFw-");
  EXPECT_EQ(mailbox("a b", false), "\"a b\"");
}

TEST(Response, FlagsAndDates) {
  EXPECT_EQ(flag_list({"\\Seen", "$Junk", "bad flag", "\\*"}), "(\\Seen $Junk \\*)");
  EXPECT_EQ(date_time(DateTime{{2024, 2, 1}, 9, 5, 0, -90}), "\"01-Feb-2024 09:05:00 -0130\"");
}

TEST(Response, SequenceSetCompression) {
  EXPECT_EQ(compress({5, 1, 2, 3, 9, 10, 3}), "1:3,5,9:10");
  EXPECT_EQ(compress({}), "");
  SequenceSet s{{{1, 0}, {5, 5}}, false};
  EXPECT_EQ(sequence_set(s), "1:*,5");
}

TEST(Response, Codes) {
  EXPECT_EQ(code::appenduid(38505, {3955, 3956}), "APPENDUID 38505 3955:3956");
  EXPECT_EQ(code::copyuid(1, {5, 3}, {10, 11}), "COPYUID 1 5,3 10,11");
  EXPECT_EQ(code::permanentflags({"\\Seen", "\\*"}), "PERMANENTFLAGS (\\Seen \\*)");
  EXPECT_EQ(code::highestmodseq(7), "HIGHESTMODSEQ 7");
}

TEST(Response, FetchItems) {
  FetchItem header{
      FetchItem::Kind::body_section, true, {{1}, "HEADER.FIELDS", {"FROM"}}, {{0, 10}}};
  FetchItem binary{FetchItem::Kind::binary, false, {{2}, "", {}}, std::nullopt};
  FetchItem size{FetchItem::Kind::binary_size, false, {{2}, "", {}}, std::nullopt};
  std::string r = FetchResponse(12)
                      .number("UID", 7)
                      .flags({"\\Seen"})
                      .data(header, std::string("From: a\r\n"))
                      .data(binary, std::string("a\0b", 3))
                      .data(size, std::string("abc"))
                      .render();
  std::string expected =
      "* 12 FETCH (UID 7 FLAGS (\\Seen) BODY[1.HEADER.FIELDS (FROM)]<0> "
      "{9}\r\nFrom: a\r\n BINARY[2] ~{3}\r\na";
  expected += '\0';
  expected += "b BINARY.SIZE[2] 3)\r\n";
  EXPECT_EQ(r, expected);
}

TEST(Response, MailboxData) {
  EXPECT_EQ(list_response({"\\HasNoChildren", "\\Sent"}, '/', "Gesendete Objekte", false),
            "* LIST (\\HasNoChildren \\Sent) \"/\" \"Gesendete Objekte\"\r\n");
  EXPECT_EQ(list_response({}, '/', "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", false),
            "* LIST () \"/\" &ZeVnLIqe-\r\n");
  EXPECT_EQ(list_response({}, '/', "Caf\xc3\xa9", true, true),
            "* LSUB () \"/\" \"Caf\xc3\xa9\"\r\n");
  EXPECT_EQ(list_response({"\\Noselect"}, 0, "", false), "* LIST (\\Noselect) NIL \"\"\r\n");
  EXPECT_EQ(status_data("INBOX", false, {{"MESSAGES", 17}, {"UIDNEXT", 44}}),
            "* STATUS INBOX (MESSAGES 17 UIDNEXT 44)\r\n");
  EXPECT_EQ(exists(3), "* 3 EXISTS\r\n");
  EXPECT_EQ(expunge(2), "* 2 EXPUNGE\r\n");
  EXPECT_EQ(vanished({41, 43, 44, 45}, true), "* VANISHED (EARLIER) 41,43:45\r\n");
}

TEST(Response, SearchResults) {
  EXPECT_EQ(search_response({2, 3}), "* SEARCH 2 3\r\n");
  Search s;
  s.uid = true;
  s.extended = true;
  s.returns = {"MIN", "COUNT", "ALL"};
  EXPECT_EQ(esearch_response("a1", s, {7, 3, 4, 5}),
            "* ESEARCH (TAG \"a1\") UID MIN 3 COUNT 4 ALL 3:5,7\r\n");
  s.returns = {};
  EXPECT_EQ(esearch_response("a1", s, {}), "* ESEARCH (TAG \"a1\") UID\r\n");
  s.returns = {"SAVE"};
  EXPECT_EQ(esearch_response("a1", s, {1}), "");
}

}  // namespace
}  // namespace appliance::imap
