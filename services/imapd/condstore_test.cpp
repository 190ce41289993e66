// NAME
//   condstore_test.cpp - CONDSTORE dialogues (RFC 7162 3.1) against a real
//   SQLite store: MODSEQ in FETCH, CHANGEDSINCE, UNCHANGEDSINCE with
//   [MODIFIED], SEARCH MODSEQ, HIGHESTMODSEQ when enabled late, and MODSEQ in
//   the updates another session causes.
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

}  // namespace
}  // namespace appliance::imapd
