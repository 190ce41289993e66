// NAME
//   condstore_test.cpp - CONDSTORE dialogues (RFC 7162 3.1) against a real
//   SQLite store: MODSEQ in FETCH, CHANGEDSINCE, UNCHANGEDSINCE with
//   [MODIFIED], SEARCH MODSEQ, HIGHESTMODSEQ when enabled late, and MODSEQ in
//   the updates another session causes; QRESYNC (3.2): SELECT with QRESYNC
//   after another session changed flags, expunged and appended, VANISHED
//   instead of EXPUNGE, UID FETCH ... VANISHED, and [CLOSED].
#include "imapd/testing/dialogue.h"

namespace appliance::imapd {
namespace {

using testing::Client;
using testing::kMail;

class CondstoreTest : public testing::ImapdTest {
 protected:
  void SetUp() override {
    condstore_ = true;
    ImapdTest::SetUp();
  }
  // Three messages appended: the mailbox's modseq is then 4.
  Client& selected(std::string_view select = "s SELECT INBOX (CONDSTORE)\r\n") {
    Client& cl = logged_in();
    for (int i = 0; i < 3; ++i) append(cl, kMail);
    say(cl, select);
    return cl;
  }
};

TEST_F(CondstoreTest, SelectTellsHighestModseqAndFetchGivesModseq) {
  Client& cl = logged_in();
  append(cl, kMail);
  std::string s = say(cl, "s SELECT INBOX (CONDSTORE)\r\n");
  EXPECT_NE(s.find("* OK [HIGHESTMODSEQ 2] Highest\r\n"), std::string::npos) << s;
  EXPECT_EQ(say(cl, "f FETCH 1 (MODSEQ FLAGS)\r\n"),
            "* 1 FETCH (MODSEQ (2) FLAGS ())\r\nf OK FETCH completed\r\n");
  EXPECT_EQ(say(cl, "t STATUS INBOX (HIGHESTMODSEQ MESSAGES)\r\n"),
            "* STATUS INBOX (HIGHESTMODSEQ 2 MESSAGES 1)\r\nt OK STATUS completed\r\n");
}

TEST_F(CondstoreTest, ChangedsinceAndUnchangedsince) {
  Client& cl = selected();
  EXPECT_EQ(say(cl, "a STORE 2 +FLAGS (\\Flagged)\r\n"),
            "* 2 FETCH (UID 2 FLAGS (\\Flagged) MODSEQ (5))\r\na OK STORE completed\r\n");
  EXPECT_EQ(say(cl, "b FETCH 1:* (FLAGS) (CHANGEDSINCE 4)\r\n"),
            "* 2 FETCH (FLAGS (\\Flagged) MODSEQ (5))\r\nb OK FETCH completed\r\n");
  EXPECT_EQ(say(cl, "c UID FETCH 1:* (FLAGS) (CHANGEDSINCE 5)\r\n"), "c OK UID FETCH completed\r\n");
  // Message 2 changed after 4: left alone and named; 1 and 3 change.
  EXPECT_EQ(say(cl, "d STORE 1:3 (UNCHANGEDSINCE 4) +FLAGS.SILENT (\\Seen)\r\n"),
            "* 1 FETCH (UID 1 MODSEQ (6))\r\n* 3 FETCH (UID 3 MODSEQ (6))\r\n"
            "d OK [MODIFIED 2] Conditional STORE failed\r\n");
  EXPECT_EQ(say(cl, "e UID STORE 1:2 (UNCHANGEDSINCE 5) FLAGS (\\Answered)\r\n"),
            "* 2 FETCH (UID 2 FLAGS (\\Answered) MODSEQ (7))\r\n"
            "e OK [MODIFIED 1] Conditional STORE failed\r\n");
  // A STORE that changes nothing moves no modseq.
  EXPECT_EQ(say(cl, "f STORE 2 +FLAGS (\\Answered)\r\n"),
            "* 2 FETCH (UID 2 FLAGS (\\Answered) MODSEQ (7))\r\nf OK STORE completed\r\n");
  EXPECT_EQ(say(cl, "g STORE 3 (UNCHANGEDSINCE 0) +FLAGS (\\Draft)\r\n"),
            "g OK [MODIFIED 3] Conditional STORE failed\r\n");
}

TEST_F(CondstoreTest, SearchModseqAndLateEnabling) {
  Client& cl = selected("s SELECT INBOX\r\n");
  // Not yet enabled: no MODSEQ with the flags.
  EXPECT_EQ(say(cl, "a STORE 3 +FLAGS (\\Seen)\r\n"),
            "* 3 FETCH (FLAGS (\\Seen))\r\na OK STORE completed\r\n");
  // The first enabling command with a mailbox selected tells HIGHESTMODSEQ.
  EXPECT_EQ(say(cl, "b SEARCH MODSEQ 5\r\n"),
            "* OK [HIGHESTMODSEQ 4] Highest\r\n* SEARCH 3 (MODSEQ 5)\r\nb OK SEARCH completed\r\n");
  EXPECT_EQ(say(cl, "c SEARCH RETURN (ALL) MODSEQ 2\r\nd SEARCH MODSEQ 9\r\n"),
            "* ESEARCH (TAG \"c\") ALL 1:3 MODSEQ 5\r\nc OK SEARCH completed\r\n"
            "* SEARCH\r\nd OK SEARCH completed\r\n");
  EXPECT_EQ(say(cl, "e FETCH 1 (BODY[1])\r\n"),
            "* 1 FETCH (UID 1 BODY[1] {5}\r\nnoon? FLAGS (\\Seen) MODSEQ (6))\r\n"
            "e OK FETCH completed\r\n");
}

TEST_F(CondstoreTest, OtherSessionsChangesComeWithModseq) {
  Client& a = selected();
  Client& b = logged_in();
  say(b, "e ENABLE CONDSTORE\r\ns SELECT INBOX\r\n");
  EXPECT_EQ(say(b, "t STORE 1 +FLAGS.SILENT (\\Flagged)\r\n"),
            "* 1 FETCH (UID 1 MODSEQ (5))\r\nt OK STORE completed\r\n");
  EXPECT_EQ(say(a, "n NOOP\r\n"),
            "* 1 FETCH (UID 1 FLAGS (\\Flagged) MODSEQ (5))\r\nn OK NOOP completed\r\n");
}

TEST_F(CondstoreTest, QresyncSelectTellsWhatChangedSince) {
  Client& a = logged_in();
  EXPECT_EQ(say(a, "e ENABLE QRESYNC\r\n"), "* ENABLED QRESYNC\r\ne OK ENABLE completed\r\n");
  for (int i = 0; i < 5; ++i) append(a, kMail);  // UIDs 1 to 5, modseq 6
  say(a, "s SELECT INBOX\r\n");
  Client& b = logged_in();
  say(b, "s SELECT INBOX\r\n");
  say(b, "a STORE 2 +FLAGS (\\Seen)\r\nb STORE 3:4 +FLAGS (\\Deleted)\r\nc EXPUNGE\r\n");
  append(b, kMail);  // UID 6, modseq 10
  std::uint32_t v = inbox_.uidvalidity;
  std::string head = fmt::format(
      "* OK [CLOSED] Previous mailbox closed\r\n"
      "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* 4 EXISTS\r\n"
      "* 0 RECENT\r\n* OK [UIDVALIDITY {}] UIDs valid\r\n* OK [UIDNEXT 7] Predicted next UID\r\n"
      "* OK [HIGHESTMODSEQ 10] Highest\r\n* OK [PERMANENTFLAGS (\\Answered \\Flagged "
      "\\Deleted \\Seen \\Draft \\*)] Flags permitted\r\n",
      v);
  std::string changed =
      "* 2 FETCH (UID 2 FLAGS (\\Seen) MODSEQ (7))\r\n* 4 FETCH (UID 6 FLAGS () MODSEQ (10))\r\n";
  EXPECT_EQ(say(a, fmt::format("t SELECT INBOX (QRESYNC ({} 6))\r\n", v)),
            head + "* VANISHED (EARLIER) 3:4\r\n" + changed + "t OK [READ-WRITE] SELECT completed\r\n");
  EXPECT_EQ(say(a, fmt::format("u EXAMINE INBOX (QRESYNC ({} 6 1:2 (1:2 1:2)))\r\n", v)),
            head.substr(0, head.find("* OK [PERMANENTFLAGS")) +
                "* OK [PERMANENTFLAGS ()] Flags permitted\r\n" + changed +
                "u OK [READ-ONLY] EXAMINE completed\r\n");
  // Another UIDVALIDITY: the client's state is worthless, a plain SELECT.
  EXPECT_TRUE(say(a, "v SELECT INBOX (QRESYNC (1 6))\r\n").ends_with("Flags permitted\r\n"
                                                                       "v OK [READ-WRITE] SELECT "
                                                                       "completed\r\n"));
  EXPECT_EQ(say(a, "f UID FETCH 1:* (FLAGS) (CHANGEDSINCE 8 VANISHED)\r\n"),
            "* VANISHED (EARLIER) 3:4\r\n* 4 FETCH (UID 6 FLAGS () MODSEQ (10))\r\n"
            "f OK UID FETCH completed\r\n");
  EXPECT_EQ(say(a, "g STORE 1 +FLAGS.SILENT (\\Deleted)\r\nh EXPUNGE\r\n"),
            "* 1 FETCH (UID 1 MODSEQ (11))\r\ng OK STORE completed\r\n"
            "* VANISHED 1\r\nh OK EXPUNGE completed\r\n");
  EXPECT_EQ(say(b, "n NOOP\r\n"), "* 1 EXPUNGE\r\nn OK NOOP completed\r\n");
}

TEST_F(CondstoreTest, QresyncAndVanishedNeedEnablingFirst) {
  Client& a = selected("s SELECT INBOX\r\n");
  EXPECT_EQ(say(a, "f UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)\r\n"),
            "f BAD VANISHED needs QRESYNC enabled\r\n");
  EXPECT_EQ(say(a, "u UNSELECT\r\nt SELECT INBOX (QRESYNC (1 1))\r\n"),
            "u OK UNSELECT completed\r\nt BAD QRESYNC must be enabled first\r\n");
}

}  // namespace
}  // namespace appliance::imapd
