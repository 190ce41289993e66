// NAME
//   quota_test.cpp - QUOTA dialogues (RFC 9208) against a real SQLite store:
//   GETQUOTA and GETQUOTAROOT with and without a quota, SETQUOTA refused,
//   APPEND, MULTIAPPEND, COPY and MOVE refused with [OVERQUOTA] and nothing
//   stored, STATUS DELETED-STORAGE.
#include "imapd/testing/dialogue.h"

namespace appliance::imapd {
namespace {

using testing::Client;
using testing::kMail;

class QuotaTest : public testing::ImapdTest {
 protected:
  std::string big(std::size_t n) { return "Subject: big\r\n\r\n" + std::string(n, 'x') + "\r\n"; }
};

TEST_F(QuotaTest, NoQuotaNoRoot) {
  Client& cl = logged_in();
  EXPECT_EQ(say(cl, "a GETQUOTAROOT INBOX\r\nb GETQUOTA \"\"\r\nc GETQUOTAROOT Nowhere\r\n"),
            "* QUOTAROOT INBOX\r\na OK GETQUOTAROOT completed\r\n"
            "b NO [NONEXISTENT] No such quota root\r\n"
            "c NO [NONEXISTENT] No such mailbox\r\n");
}

TEST_F(QuotaTest, RootsUsageAndRefusals) {
  ASSERT_TRUE(t_->set_quota(alice_.id, 4096).ok());
  Client& cl = logged_in();
  append(cl, kMail);
  EXPECT_EQ(
      say(cl, "a GETQUOTAROOT INBOX\r\nb GETQUOTA \"\"\r\nc GETQUOTA other\r\n"),
      "* QUOTAROOT INBOX \"\"\r\n* QUOTA \"\" (STORAGE 1 4)\r\na OK GETQUOTAROOT completed\r\n"
      "* QUOTA \"\" (STORAGE 1 4)\r\nb OK GETQUOTA completed\r\n"
      "c NO [NONEXISTENT] No such quota root\r\n");
  EXPECT_EQ(say(cl, "d SETQUOTA \"\" (STORAGE 100000)\r\n"),
            "d NO [NOPERM] Quotas are set by the administrator\r\n");
  EXPECT_EQ(append(cl, big(4000)), "ap NO [OVERQUOTA] Over quota: nothing was stored\r\n");
  std::string half = big(1500);
  EXPECT_EQ(
      say(cl, fmt::format("e APPEND Archive {{{0}+}}\r\n{1} {{{0}+}}\r\n{1} {{{0}+}}\r\n{1}\r\n",
                          half.size(), half)),
      "e NO [OVERQUOTA] Over quota: nothing was stored\r\n");
  EXPECT_EQ(say(cl, "f STATUS Archive (MESSAGES)\r\n"),
            "* STATUS Archive (MESSAGES 0)\r\nf OK STATUS completed\r\n");
  append(cl, half);
  append(cl, half);  // about 3.3 KiB of 4 used
  say(cl, "s SELECT INBOX\r\n");
  EXPECT_EQ(say(cl, "g COPY 2:3 Archive\r\n"),
            "g NO [OVERQUOTA] Over quota: nothing was stored\r\n");
  EXPECT_EQ(say(cl, "h MOVE 2 Archive\r\n").substr(0, 14), "* OK [COPYUID ");
  ASSERT_TRUE(t_->set_quota(alice_.id, 1024).ok());
  EXPECT_EQ(say(cl, "i MOVE 1 Archive\r\n"), "i NO [OVERQUOTA] Over quota: nothing was stored\r\n");
  EXPECT_EQ(
      say(cl,
          "j STORE 1:2 +FLAGS.SILENT (\\Deleted)\r\nk STATUS INBOX (DELETED DELETED-STORAGE)\r\n"),
      "j OK STORE completed\r\n* STATUS INBOX (DELETED 2 DELETED-STORAGE 2)\r\n"
      "k OK STATUS completed\r\n");
}

}  // namespace
}  // namespace appliance::imapd
