// NAME
//   conversation_test.cpp - whole IMAP dialogues driven with strings: logins
//   through an in-memory LoginService, mailboxes in a real SQLite store.
#include "imapd/testing/dialogue.h"

namespace appliance::imapd {
namespace {

using testing::ImapdTest;
using testing::Client;
using testing::kMail;

TEST_F(ImapdTest, LoginRefusedThenDefaultFoldersListed) {
  Client& cl = connect();
  EXPECT_EQ(say(cl, "a ID (\"name\" \"tester\")\r\na LOGIN alice@example.test wrong\r\n"),
            "* ID (\"name\" \"appliance imapd\")\r\na OK ID completed\r\n"
            "a NO [AUTHENTICATIONFAILED] Authentication failed\r\n");
  EXPECT_EQ(logins_.attempts.back(), "alice@example.test tester");
  EXPECT_EQ(say(cl, "b LOGIN alice@example.test \"correct horse\"\r\n").substr(0, 5), "b OK ");
  EXPECT_EQ(say(cl, "c LIST \"\" \"*\"\r\n"),
            "* LIST (\\HasNoChildren \\Archive) \"/\" Archive\r\n"
            "* LIST (\\HasNoChildren \\Drafts) \"/\" Drafts\r\n"
            "* LIST (\\HasNoChildren) \"/\" INBOX\r\n"
            "* LIST (\\HasNoChildren \\Junk) \"/\" Junk\r\n"
            "* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n"
            "* LIST (\\HasNoChildren \\Trash) \"/\" Trash\r\n"
            "c OK LIST completed\r\n");
  EXPECT_EQ(say(cl, "d CREATE Work/Plans\r\ne CREATE Work/Plans\r\nf LIST \"\" \"Work/%\"\r\n"),
            "d OK CREATE completed\r\ne NO [ALREADYEXISTS] Mailbox exists\r\n"
            "* LIST (\\HasNoChildren) \"/\" Work/Plans\r\nf OK LIST completed\r\n");
  EXPECT_EQ(say(cl, "f2 LIST \"\" W%\r\n"),
            "* LIST (\\Noselect \\HasChildren) \"/\" Work\r\nf2 OK LIST completed\r\n");
  EXPECT_EQ(say(cl, "g RENAME Work/Plans Ideas\r\nh SUBSCRIBE Ideas\r\ni LSUB \"\" *\r\n"),
            "g OK RENAME completed\r\nh OK SUBSCRIBE completed\r\n"
            "* LSUB () \"/\" Ideas\r\ni OK LSUB completed\r\n");
  EXPECT_EQ(say(cl, "j DELETE Ideas\r\nk DELETE INBOX\r\n"),
            "j OK DELETE completed\r\nk NO [CANNOT] INBOX cannot be deleted\r\n");
}

TEST_F(ImapdTest, AppendSelectFetchStoreSearch) {
  Client& cl = logged_in();
  EXPECT_EQ(append(cl, kMail, "\\Flagged"),
            fmt::format("ap OK [APPENDUID {} 1] APPEND completed\r\n", inbox_.uidvalidity));
  EXPECT_EQ(say(cl, "s SELECT inbox\r\n"),
            fmt::format("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* 1 EXISTS\r\n"
                        "* 0 RECENT\r\n* OK [UIDVALIDITY {}] UIDs valid\r\n"
                        "* OK [UIDNEXT 2] Predicted next UID\r\n* OK [HIGHESTMODSEQ 2] Highest\r\n"
                        "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] "
                        "Flags permitted\r\ns OK [READ-WRITE] SELECT completed\r\n",
                        inbox_.uidvalidity));
  std::string f = say(cl, "f FETCH 1:* (FLAGS ENVELOPE BODYSTRUCTURE)\r\n");
  EXPECT_TRUE(
      f.starts_with("* 1 FETCH (FLAGS (\\Flagged) ENVELOPE (\"Mon, 23 Nov 2026 12:00:00 "
                    "+0000\" \"lunch\" ((\"Bob\" NIL \"bob\" \"example.test\"))"))
      << f;
  EXPECT_NE(f.find("BODYSTRUCTURE ((\"TEXT\" \"PLAIN\""), std::string::npos) << f;
  EXPECT_EQ(
      say(cl, "g UID FETCH 1 (BODY.PEEK[1] BINARY.PEEK[2] BODY.PEEK[HEADER.FIELDS (SUBJECT)])\r\n"),
      "* 1 FETCH (UID 1 BODY[1] {5}\r\nnoon? BINARY[2] {5}\r\nhello "
      "BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: lunch\r\n\r\n)\r\ng OK UID FETCH "
      "completed\r\n");
  EXPECT_EQ(say(cl, "h FETCH 1 (BODY[TEXT]<0.4>)\r\n"),
            "* 1 FETCH (BODY[TEXT]<0> {4}\r\n--b\r FLAGS (\\Seen \\Flagged))\r\nh OK FETCH "
            "completed\r\n");
  EXPECT_EQ(say(cl, "i STORE 1 -FLAGS (\\Flagged)\r\n"),
            "* 1 FETCH (FLAGS (\\Seen))\r\ni OK STORE completed\r\n");
  EXPECT_EQ(say(cl,
                "j SEARCH SUBJECT lunch SEEN FROM bob\r\nk UID SEARCH UNSEEN\r\n"
                "l SEARCH RETURN (COUNT) BODY noon\r\n"),
            "* SEARCH 1\r\nj OK SEARCH completed\r\n* SEARCH\r\nk OK UID SEARCH completed\r\n"
            "* ESEARCH (TAG \"l\") COUNT 1\r\nl OK SEARCH completed\r\n");
}

TEST_F(ImapdTest, MultiappendUidExpungeRenameInboxListStatus) {
  Client& cl = logged_in();
  std::string m = "Subject: x\r\n\r\ny\r\n";
  EXPECT_EQ(say(cl, fmt::format("a APPEND INBOX {{{0}+}}\r\n{1} (\\Deleted) {{{0}+}}\r\n{1} "
                                "(\\Deleted) {{{0}+}}\r\n{1}\r\n",
                                m.size(), m)),
            fmt::format("a OK [APPENDUID {} 1:3] APPEND completed\r\n", inbox_.uidvalidity));
  say(cl, "s SELECT INBOX\r\n");
  EXPECT_EQ(say(cl, "b UID EXPUNGE 3:*\r\nc FETCH 1:* (UID BINARY.SIZE[1])\r\n"),
            "* 3 EXPUNGE\r\nb OK UID EXPUNGE completed\r\n"
            "* 1 FETCH (UID 1 BINARY.SIZE[1] 3)\r\n* 2 FETCH (UID 2 BINARY.SIZE[1] 3)\r\n"
            "c OK FETCH completed\r\n");
  EXPECT_EQ(say(cl,
                "d UNSELECT\r\ne RENAME INBOX Old\r\n"
                "f LIST \"\" (INBOX Old) RETURN (STATUS (MESSAGES))\r\n"),
            "d OK UNSELECT completed\r\ne OK RENAME completed\r\n"
            "* LIST (\\HasNoChildren) \"/\" INBOX\r\n* STATUS INBOX (MESSAGES 0)\r\n"
            "* LIST (\\HasNoChildren) \"/\" Old\r\n* STATUS Old (MESSAGES 2)\r\n"
            "f OK LIST completed\r\n");
}

TEST_F(ImapdTest, KeywordsAreKept) {
  Client& cl = logged_in();
  append(cl, kMail, "$Forwarded \\Seen");
  say(cl, "s SELECT INBOX\r\n");
  EXPECT_EQ(say(cl, "a FETCH 1 FLAGS\r\n"),
            "* 1 FETCH (FLAGS (\\Seen $Forwarded))\r\na OK FETCH completed\r\n");
  EXPECT_EQ(say(cl, "b STORE 1 +FLAGS ($Junk \\Flagged)\r\n"),
            "* 1 FETCH (FLAGS (\\Seen \\Flagged $Forwarded $Junk))\r\nb OK STORE completed\r\n");
  EXPECT_EQ(say(cl, "c SEARCH KEYWORD $junk\r\nd SEARCH UNKEYWORD $Junk\r\n"),
            "* SEARCH 1\r\nc OK SEARCH completed\r\n* SEARCH\r\nd OK SEARCH completed\r\n");
  EXPECT_EQ(say(cl, "e STORE 1 -FLAGS ($Forwarded)\r\nf STORE 1 FLAGS (\\Draft)\r\n"),
            "* 1 FETCH (FLAGS (\\Seen \\Flagged $Junk))\r\ne OK STORE completed\r\n"
            "* 1 FETCH (FLAGS (\\Draft))\r\nf OK STORE completed\r\n");
}

TEST_F(ImapdTest, CopyMoveExpunge) {
  Client& cl = logged_in();
  for (int i = 0; i < 3; ++i) append(cl, kMail);
  say(cl, "s SELECT INBOX\r\n");
  std::uint32_t archive_validity = 0;
  auto boxes = t_->mailboxes(alice_.id).value();
  for (const auto& m : boxes)
    if (m.name == "Archive") archive_validity = m.uidvalidity;
  EXPECT_EQ(say(cl, "c COPY 1 Archive\r\n"),
            fmt::format("c OK [COPYUID {} 1 1] COPY completed\r\n", archive_validity));
  EXPECT_EQ(say(cl, "m UID MOVE 2 Archive\r\n"),
            fmt::format("* OK [COPYUID {} 2 2] Moved\r\n* 2 EXPUNGE\r\nm OK UID MOVE completed\r\n",
                        archive_validity));
  EXPECT_EQ(say(cl, "n MOVE 1 Nowhere\r\n"), "n NO [TRYCREATE] No such mailbox\r\n");
  EXPECT_EQ(say(cl, "d STORE 2 +FLAGS.SILENT (\\Deleted)\r\ne EXPUNGE\r\n"),
            "d OK STORE completed\r\n* 2 EXPUNGE\r\ne OK EXPUNGE completed\r\n");
  EXPECT_EQ(say(cl, "f STATUS Archive (MESSAGES UIDNEXT UNSEEN)\r\n"),
            "* STATUS Archive (MESSAGES 2 UIDNEXT 3 UNSEEN 2)\r\nf OK STATUS completed\r\n");
  EXPECT_EQ(say(cl, "g EXAMINE Archive\r\nh STORE 1 +FLAGS (\\Seen)\r\n").substr(0, 41),
            "* OK [CLOSED] Previous mailbox closed\r\n* ");
  EXPECT_EQ(say(cl,
                "k CREATE Doomed\r\nl SELECT Doomed\r\nm DELETE Doomed\r\n"
                "n FETCH 1 FLAGS\r\n")
                .substr(0, 20),
            "k OK CREATE complete");
  EXPECT_TRUE(cl.out.ends_with("n NO [NONEXISTENT] The mailbox is gone\r\n")) << cl.out;
  EXPECT_EQ(say(cl, "i CLOSE\r\nj FETCH 1 FLAGS\r\n"),
            "i OK CLOSE completed\r\nj BAD No mailbox selected\r\n");
}

TEST_F(ImapdTest, TwoSessionsSeeEachOthersChangesAndIdleWakes) {
  Client& a = logged_in();
  Client& b = logged_in();
  append(a, kMail);
  append(a, kMail);
  say(a, "s SELECT INBOX\r\n");
  say(b, "s SELECT INBOX\r\n");
  say(a, "t STORE 1 +FLAGS (\\Seen)\r\n");
  EXPECT_EQ(say(b, "n NOOP\r\n"), "* 1 FETCH (UID 1 FLAGS (\\Seen))\r\nn OK NOOP completed\r\n");
  EXPECT_EQ(say(b, "i IDLE\r\n"), "+ idling\r\n");
  b.out.clear();
  say(a, "d STORE 2 +FLAGS.SILENT (\\Deleted)\r\ne EXPUNGE\r\n");
  append(a, kMail);
  EXPECT_EQ(b.out, "");
  hub_.tick();
  pump();
  EXPECT_EQ(b.out, "* 2 EXPUNGE\r\n* 2 EXISTS\r\n");
  EXPECT_EQ(say(b, "DONE\r\n"), "i OK IDLE terminated\r\n");
  hub_.tick();
  pump();
  EXPECT_EQ(say(b, "f FETCH 2 UID\r\n"), "* 2 FETCH (UID 3)\r\nf OK FETCH completed\r\n");
}

TEST_F(ImapdTest, LoginRefusedBeforeTls) {
  Client& cl = connect(false);
  EXPECT_EQ(say(cl, "a LOGIN alice@example.test \"correct horse\"\r\n"),
            "a NO [PRIVACYREQUIRED] Login only over TLS; use STARTTLS first\r\n");
  EXPECT_TRUE(logins_.attempts.empty());
}

}  // namespace
}  // namespace appliance::imapd
