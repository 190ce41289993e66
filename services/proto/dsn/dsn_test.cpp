// NAME
//   dsn_test - the bounce's parts and fields (RFC 3464), and the helpers.
#include "proto/dsn/dsn.h"

#include <gtest/gtest.h>

namespace appliance::dsn {
namespace {

TEST(Dsn, HasTheThreePartsAndTheFields) {
  Bounce b{"mail.a.test",
           "alice@a.test",
           "7",
           1000,
           2000,
           {{"bob@b.test", "5.1.1", "550 5.1.1 No\x01 such user", "mx.b.test",
             "dane, TLSv1.3 TLS_AES_128_GCM_SHA256"}},
           "Subject: hi\r\nTo: bob@b.test"};
  std::string m = build_dsn(b);
  EXPECT_EQ(
      m.rfind("From: Mail Delivery System <MAILER-DAEMON@mail.a.test>\r\nTo: <alice@a.test>\r\n",
              0),
      0u);
  EXPECT_NE(m.find("Auto-Submitted: auto-replied\r\n"), std::string::npos);
  EXPECT_NE(m.find("boundary=\"7/2000\""), std::string::npos);
  EXPECT_NE(m.find("--7/2000\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; "
                   "mail.a.test\r\n"),
            std::string::npos);
  EXPECT_NE(
      m.find("Remote-MTA: dns; mx.b.test\r\nDiagnostic-Code: smtp; 550 5.1.1 No  such user\r\n"),
      std::string::npos)
      << m;
  EXPECT_NE(m.find("<bob@b.test>: 550 5.1.1 No  such user\r\n"
                   "  TLS policy: dane, TLSv1.3 TLS_AES_128_GCM_SHA256\r\n"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("Arrival-Date: Thu, 01 Jan 1970 00:16:40 +0000"), std::string::npos);
  EXPECT_NE(m.find("text/rfc822-headers\r\n\r\nSubject: hi\r\nTo: bob@b.test\r\n"),
            std::string::npos);
  EXPECT_EQ(m.substr(m.size() - 12), "--7/2000--\r\n");
}

TEST(Dsn, EnvelopeIdOriginalRecipientAndTheWholeMessage) {
  Bounce b{
      "mail.a.test",
      "alice@a.test",
      "7",
      1000,
      2000,
      {{"bob@b.test", "5.1.1", "550 5.1.1 No such user", "mx.b.test", "", "rfc822;Bob+1@old.test"},
       {"carol@b.test", "5.2.2", "552 5.2.2 Full", "", ""}},
      "Subject: hi"};
  b.envid = "QQ 314159";
  b.original_message = "Subject: hi\r\n\r\n--7/2000\r\nbody\r\n";
  std::string m = build_dsn(b);
  EXPECT_NE(m.find("Reporting-MTA: dns; mail.a.test\r\nOriginal-Envelope-Id: QQ+20314159\r\n"),
            std::string::npos)
      << m;
  EXPECT_NE(
      m.find("\r\n\r\nOriginal-Recipient: rfc822;Bob+2B1@old.test\r\nFinal-Recipient: rfc822; "
             "bob@b.test\r\nAction: failed\r\n"),
      std::string::npos)
      << m;
  EXPECT_NE(m.find("\r\n\r\nFinal-Recipient: rfc822; carol@b.test\r\n"), std::string::npos);
  EXPECT_EQ(m.find("text/rfc822-headers"), std::string::npos);
  EXPECT_NE(m.find("boundary=\"7/2000=\""), std::string::npos) << "not a line of the message";
  EXPECT_NE(
      m.find("--7/2000=\r\nContent-Type: message/rfc822\r\n\r\nSubject: hi\r\n\r\n--7/2000\r\n"
             "body\r\n\r\n--7/2000=--\r\n"),
      std::string::npos)
      << m;
}

TEST(Dsn, RelayedAndDelayedNotices) {
  Bounce b{"mail.a.test", "alice@a.test",
           "8",           1000,
           2000,          {{"bob@b.test", "2.0.0", "250 2.0.0 Ok", "mx.b.test", ""}},
           "Subject: hi"};
  b.action = Action::relayed;
  std::string m = build_dsn(b);
  EXPECT_NE(m.find("Subject: Successful Mail Relay\r\n"), std::string::npos);
  EXPECT_NE(m.find("Action: relayed\r\nStatus: 2.0.0\r\n"), std::string::npos) << m;
  EXPECT_EQ(m.find("Will-Retry-Until"), std::string::npos);
  EXPECT_EQ(m.find("Original-Envelope-Id"), std::string::npos);
  b.action = Action::failed;
  b.retry_until = 5000;
  m = build_dsn(b);
  EXPECT_NE(m.find("Action: delayed\r\n"), std::string::npos);
  EXPECT_NE(m.find("Will-Retry-Until: "), std::string::npos);
}

TEST(Dsn, ADeliveredNotice) {
  Bounce b{"mail.b.test",
           "alice@a.test",
           "9",
           1000,
           2000,
           {{"bob@b.test", "2.0.0", "delivered to the mailbox", "", "", "rfc822;bob@b.test"}},
           "Subject: hi"};
  b.action = Action::delivered;
  b.envid = "env1";
  std::string m = build_dsn(b);
  EXPECT_NE(m.find("Subject: Successful Mail Delivery Report\r\n"), std::string::npos);
  EXPECT_NE(m.find("Your message was delivered to the mailboxes of the recipients below.\r\n\r\n"
                   "<bob@b.test>: delivered to the mailbox\r\n"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("Original-Envelope-Id: env1\r\n"), std::string::npos);
  EXPECT_NE(m.find("Original-Recipient: rfc822;bob@b.test\r\nFinal-Recipient: rfc822; "
                   "bob@b.test\r\nAction: delivered\r\nStatus: 2.0.0\r\nLast-Attempt-Date: "),
            std::string::npos)
      << m;
  EXPECT_EQ(m.find("Diagnostic-Code"), std::string::npos);
  EXPECT_NE(m.find("text/rfc822-headers\r\n\r\nSubject: hi\r\n"), std::string::npos);
}

TEST(Dsn, NotifyChoosesTheNotices) {
  EXPECT_TRUE(notify_wants("", Action::failed));
  EXPECT_TRUE(notify_wants("", Action::delayed));
  EXPECT_FALSE(notify_wants("", Action::relayed));
  EXPECT_FALSE(notify_wants("", Action::delivered));
  for (auto a : {Action::failed, Action::delayed, Action::relayed, Action::delivered})
    EXPECT_FALSE(notify_wants("NEVER", a));
  EXPECT_TRUE(notify_wants("SUCCESS", Action::relayed));
  EXPECT_TRUE(notify_wants("SUCCESS", Action::delivered));
  EXPECT_FALSE(notify_wants("FAILURE,DELAY", Action::delivered));
  EXPECT_FALSE(notify_wants("SUCCESS", Action::failed));
  EXPECT_TRUE(notify_wants("FAILURE,DELAY", Action::delayed));
  EXPECT_FALSE(notify_wants("FAILURE", Action::delayed));
}

TEST(Dsn, Helpers) {
  EXPECT_EQ(header_section("A: 1\r\nB: 2\r\n\r\nbody"), "A: 1\r\nB: 2");
  EXPECT_EQ(header_section("A: 1\r\nB: 2222\r\n", 9), "A: 1");
  EXPECT_EQ(status_of("5.1.1", 550), "5.1.1");
  EXPECT_EQ(status_of("", 451), "4.0.0");
}

}  // namespace
}  // namespace appliance::dsn
