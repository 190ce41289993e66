// NAME
//   conversation_test.cpp - whole SMTP conversations against a real SQLite
//   store and an in-memory account service, without sockets.
#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <regex>

#include "common/counters_report.h"
#include "dns/testing/fake_resolver.h"
#include "net/testing/script_link.h"
#include "proto/common/sasl.h"
#include "proto/mime/summary.h"
#include "smtpd/conversation.h"
#include "smtpd/testing/memory_directory.h"
#include "store/inbox.h"
#include "store/testing/fixture.h"

namespace appliance::smtpd {
namespace {

class ConversationTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    auto t = tenant("acme");
    alice_ = account(*t, "alice@example.test");
    bob_ = account(*t, "bob@example.test");
    tenant_ = t;
    dir_.domains = {"example.test"};
    dir_.addresses["alice@example.test"] = {{t->id(), alice_.first.id, "alice@example.test"}};
    dir_.addresses["bob@example.test"] = {{t->id(), bob_.first.id, "bob@example.test"}};
    dir_.addresses["team@example.test"] = {{t->id(), alice_.first.id, "alice@example.test"},
                                           {t->id(), bob_.first.id, "bob@example.test"}};
    dir_.addresses["postmaster@example.test"] = dir_.addresses["alice@example.test"];
    dir_.passwords["alice@example.test"] = "correct horse";
    dir_.senders["alice@example.test"] = {"alice@example.test", "team@example.test"};
    backends_ = {store_.get(), &dir_, &dir_, [this](auto fn) { workers_.push_back(fn); },
                 "example.test"};
  }

  std::shared_ptr<SmtpConversation> connect(smtp::Mode mode, bool implicit_tls = false) {
    smtp::SessionConfig c;
    c.mode = mode;
    c.hostname = "mail.example.test";
    c.implicit_tls = implicit_tls;
    net::Peer peer{.address = "192.0.2.7", .port = 40000, .listener = "test"};
    if (implicit_tls)
      peer = {"192.0.2.7", 40000, "test", true, "TLSv1.3", "TLS_AES_128_GCM_SHA256"};
    link_ = std::make_shared<net::testing::ScriptLink>(peer);
    auto conv = std::make_shared<SmtpConversation>(backends_, c);
    conv->start(link_);
    return conv;
  }

  // Runs queued worker jobs and what they post back until nothing is left.
  void drain() {
    do {
      while (!workers_.empty()) {
        auto fn = std::move(workers_.front());
        workers_.pop_front();
        fn();
      }
    } while (link_->run_posted(std::chrono::milliseconds(0)) > 0 || !workers_.empty());
  }
  std::string say(SmtpConversation& c, std::string_view bytes) {
    link_->sent.clear();
    c.received(bytes);
    drain();
    return link_->sent;
  }
  std::vector<std::string> inbox(const std::pair<store::Account, store::Mailbox>& a) {
    std::vector<std::string> out;
    auto messages = tenant_->messages(a.first.id, a.second.id);
    EXPECT_TRUE(messages.ok());
    if (!messages) return out;
    for (auto& m : *messages) out.push_back(get(*tenant_, a.first, m.id).value());
    return out;
  }

  testing::MemoryDirectory dir_;
  std::deque<std::function<void()>> workers_;
  Backends backends_;
  std::shared_ptr<net::testing::ScriptLink> link_;
  std::shared_ptr<store::TenantStore> tenant_;
  std::pair<store::Account, store::Mailbox> alice_, bob_;
};

const std::string kBody = "Subject: hi\r\n\r\nHello.\r\n";

// With a resolver, MX mail is held to its end and checked (inbound.h): the
// Authentication-Results field goes on top, and still no 250 before the commit.
TEST_F(ConversationTest, MxMailGetsAuthenticationResultsOnTop) {
  dns::testing::FakeResolver dns;
  dns.txt_answers["elsewhere.example"] = {dns::Outcome::kAnswer, {"v=spf1 ip4:192.0.2.0/24 -all"}, {}};
  backends_.resolver = &dns;
  backends_.spool = std::filesystem::temp_directory_path();
  auto c = connect(smtp::Mode::mx);
  say(*c, "EHLO client.example\r\n");
  say(*c, "MAIL FROM:<someone@elsewhere.example>\r\n");
  say(*c, "RCPT TO:<alice@example.test>\r\n");
  say(*c, "DATA\r\n");
  link_->sent.clear();
  c->received("From: someone@elsewhere.example\r\n" + kBody + ".\r\n");
  EXPECT_EQ(link_->sent, "") << "250 before the message is durable";
  drain();
  EXPECT_TRUE(link_->sent.starts_with("250 2.0.0 Ok: queued as ")) << link_->sent;
  auto mail = inbox(alice_);
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_TRUE(mail[0].starts_with("Authentication-Results: mail.example.test;\r\n"
                                  "\tdkim=none;\r\n"
                                  "\tspf=pass smtp.mailfrom=someone@elsewhere.example;\r\n"
                                  "\tdmarc=none header.from=elsewhere.example\r\n"
                                  "Received: from client.example ([192.0.2.7])\r\n"))
      << mail[0];
  EXPECT_TRUE(mail[0].ends_with("\r\nFrom: someone@elsewhere.example\r\n" + kBody)) << mail[0];
}

// RFC 3461 on the MX port: a recipient that asked for NOTIFY=SUCCESS has its
// sender told, by a report queued for deliverd (notices.h), only when SPF
// vouched for that sender.
TEST_F(ConversationTest, NotifySuccessOnMxQueuesADeliveredReport) {
  dns::testing::FakeResolver dns;
  dns.txt_answers["elsewhere.example"] = {
      dns::Outcome::kAnswer, {"v=spf1 ip4:192.0.2.0/24 -all"}, {}};
  dns.txt_answers["forged.example"] = {dns::Outcome::kAnswer, {"v=spf1 -all"}, {}};
  backends_.resolver = &dns;
  backends_.spool = std::filesystem::temp_directory_path();
  auto send = [&](const std::string& sender, const std::string& alice_params) {
    auto c = connect(smtp::Mode::mx);
    say(*c, "EHLO client.example\r\n");
    EXPECT_EQ(say(*c, "MAIL FROM:<" + sender + "> ENVID=env+2B1\r\n").substr(0, 3), "250");
    EXPECT_EQ(say(*c, "RCPT TO:<alice@example.test>" + alice_params + "\r\n").substr(0, 3), "250");
    EXPECT_EQ(say(*c, "RCPT TO:<bob@example.test> NOTIFY=FAILURE\r\n").substr(0, 3), "250");
    say(*c, "DATA\r\n");
    return say(*c, "From: " + sender + "\r\nSubject: report me\r\n\r\nThe body.\r\n.\r\n");
  };
  auto queued = [&] { return tenant_->queue().entries().value(); };

  EXPECT_TRUE(send("someone@forged.example", " NOTIFY=SUCCESS").starts_with("250 "));
  EXPECT_TRUE(queued().empty()) << "SPF failed: no report to a sender it does not vouch for";
  EXPECT_TRUE(send("someone@elsewhere.example", " NOTIFY=FAILURE,DELAY").starts_with("250 "));
  EXPECT_TRUE(queued().empty()) << "SUCCESS not asked for";

  EXPECT_TRUE(
      send("someone@elsewhere.example", " NOTIFY=SUCCESS ORCPT=rfc822;alice+2Bold@example.test")
          .starts_with("250 "));
  auto entries = queued();
  ASSERT_EQ(entries.size(), 1u);
  const store::QueueEntry& e = entries.front();
  EXPECT_EQ(e.sender, "") << "a null envelope sender";
  EXPECT_EQ(e.account, alice_.first.id);
  ASSERT_EQ(e.recipients.size(), 1u);
  EXPECT_EQ(e.recipients.front().address, "someone@elsewhere.example");
  std::string report;
  ASSERT_TRUE(tenant_->queue()
                  .read(e,
                        [&](std::string_view b) -> Result<void> {
                          report += b;
                          return {};
                        })
                  .ok());
  EXPECT_NE(report.find("From: Mail Delivery System <MAILER-DAEMON@mail.example.test>\r\n"
                        "To: <someone@elsewhere.example>\r\n"
                        "Subject: Successful Mail Delivery Report\r\n"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("Original-Envelope-Id: env+2B1\r\n"), std::string::npos) << report;
  EXPECT_NE(report.find("Original-Recipient: rfc822;alice+2Bold@example.test\r\n"
                        "Final-Recipient: rfc822; alice@example.test\r\n"
                        "Action: delivered\r\nStatus: 2.0.0\r\n"),
            std::string::npos)
      << report;
  EXPECT_EQ(report.find("bob@example.test"), std::string::npos) << "bob did not ask";
  EXPECT_NE(report.find("text/rfc822-headers\r\n\r\nFrom: someone@elsewhere.example\r\n"
                        "Subject: report me\r\n"),
            std::string::npos)
      << report;
  EXPECT_EQ(report.find("The body."), std::string::npos) << "the header only";
  EXPECT_TRUE(tenant_->queue().sending(alice_.first.id, 0)->empty())
      << "a notice is not alice's sending";
}

// A content filter that answers as rspamd would, and keeps what it was asked.
struct ScriptedFilter final : ContentFilter {
  std::string reply;
  std::vector<std::pair<Envelope, std::string>> scanned;
  std::size_t max_size() const override { return 1 << 20; }
  Filtering scan(const Envelope& q, std::string_view message) override {
    scanned.emplace_back(q, std::string(message));
    return filtering_of(rspamd::parse_reply(reply), FilterFailure::defer);
  }
};

// rspamd's verdict decides what becomes of MX mail: the sender's own X-Spam
// claims are dropped, spam goes to Junk, a refusal stores nothing.
TEST_F(ConversationTest, ContentFilterDecidesWhereMxMailGoes) {
  dns::testing::FakeResolver dns;
  ScriptedFilter filter;
  backends_.resolver = &dns;
  backends_.filter = &filter;
  backends_.spool = std::filesystem::temp_directory_path();
  auto send = [&](const std::string& reply, const std::string& subject) {
    filter.reply = reply;
    auto c = connect(smtp::Mode::mx);
    say(*c, "EHLO client.example\r\n");
    say(*c, "MAIL FROM:<someone@elsewhere.example>\r\n");
    say(*c, "RCPT TO:<alice@example.test>\r\nRCPT TO:<bob@example.test>\r\n");
    say(*c, "DATA\r\n");
    return say(*c, "X-Spam: No\r\nSubject: " + subject + "\r\n\r\nHello.\r\n.\r\n");
  };
  EXPECT_TRUE(send(R"({"action":"no action","score":1,"required_score":15})", "clean")
                  .starts_with("250 2.0.0 Ok: queued as "));
  ASSERT_EQ(filter.scanned.size(), 1u);
  const auto& [q, message] = filter.scanned[0];
  EXPECT_EQ(q.address, "192.0.2.7");
  EXPECT_EQ(q.helo, "client.example");
  EXPECT_EQ(q.mail_from, "someone@elsewhere.example");
  EXPECT_EQ(q.recipients, (std::vector<std::string>{"alice@example.test", "bob@example.test"}));
  EXPECT_EQ(q.queue_id.size(), 16u);
  EXPECT_EQ(message, "Subject: clean\r\n\r\nHello.\r\n") << "sent without the forged X-Spam";
  auto mail = inbox(alice_);
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_NE(mail[0].find("\r\nX-Spam-Action: no action\r\nX-Spam-Score: 1.00/15.00\r\n"
                         "Received: "),
            std::string::npos)
      << mail[0];
  EXPECT_EQ(mail[0].find("X-Spam: No"), std::string::npos) << mail[0];

  EXPECT_TRUE(send(R"({"action":"add header","score":7,"required_score":15})", "junk")
                  .starts_with("250 2.0.0 Ok: queued as "));
  EXPECT_EQ(inbox(alice_).size(), 1u) << "spam is not filed in INBOX";
  for (auto* who : {&alice_, &bob_}) {
    auto junk = store::find_mailbox(*tenant_, who->first.id, "Junk", false);
    ASSERT_TRUE(junk) << junk.message();
    auto messages = tenant_->messages(who->first.id, junk->id);
    ASSERT_TRUE(messages);
    ASSERT_EQ(messages->size(), 1u);
    std::string text = get(*tenant_, who->first, messages->front().id).value();
    EXPECT_NE(text.find("X-Spam: Yes\r\nX-Spam-Action: add header\r\n"), std::string::npos);
    EXPECT_TRUE(text.ends_with("Subject: junk\r\n\r\nHello.\r\n")) << text;
  }

  EXPECT_EQ(send(R"({"action":"reject","score":20,"messages":{"smtp_message":"Gtube pattern"}})",
                 "spam"),
            "550 5.7.1 Gtube pattern\r\n");
  EXPECT_EQ(send(R"({"action":"soft reject","score":9})", "later"), "451 4.7.1 Try again later\r\n");
  EXPECT_EQ(send("<html>", "broken"),
            "451 4.7.1 Content filter unavailable, try again later\r\n");
  EXPECT_EQ(inbox(alice_).size(), 1u) << "nothing stored for refused mail";
  EXPECT_EQ(inbox(bob_).size(), 1u);
}

// A message that fails DMARC gets what its From domain's policy asks: p=reject
// is refused and stored nowhere (and not scanned), p=quarantine goes to Junk;
// with dmarc_policy = record both are delivered with the result recorded.
TEST_F(ConversationTest, DmarcPolicyDecidesWhereFailingMxMailGoes) {
  dns::testing::FakeResolver dns;
  dns.txt_answers["_dmarc.bank.example"] = {dns::Outcome::kAnswer, {"v=DMARC1; p=reject"}, {}};
  dns.txt_answers["_dmarc.shop.example"] = {dns::Outcome::kAnswer, {"v=DMARC1; p=quarantine"}, {}};
  ScriptedFilter filter;
  filter.reply = R"({"action":"no action","score":1,"required_score":15})";
  backends_.resolver = &dns;
  backends_.filter = &filter;
  backends_.spool = std::filesystem::temp_directory_path();
  auto send = [&](const std::string& from, const std::string& subject) {
    auto c = connect(smtp::Mode::mx);
    say(*c, "EHLO client.example\r\n");
    say(*c, "MAIL FROM:<someone@elsewhere.example>\r\n");
    say(*c, "RCPT TO:<alice@example.test>\r\n");
    say(*c, "DATA\r\n");
    return say(*c, "From: " + from + "\r\nSubject: " + subject + "\r\n\r\nPay now.\r\n.\r\n");
  };
  auto junk = [&] {
    auto box = store::find_mailbox(*tenant_, alice_.first.id, "Junk", false);
    return box ? tenant_->messages(alice_.first.id, box->id).value().size() : 0u;
  };
  std::uint64_t refused = appliance::process_counters().dmarc_refused,
                junked = appliance::process_counters().dmarc_junked;
  EXPECT_EQ(send("ceo@bank.example", "wire"),
            "550 5.7.26 Unauthenticated mail from bank.example refused by its DMARC policy\r\n");
  EXPECT_EQ(appliance::process_counters().dmarc_refused, refused + 1);
  EXPECT_TRUE(filter.scanned.empty()) << "refused before the content filter";
  EXPECT_EQ(inbox(alice_).size(), 0u);
  EXPECT_TRUE(send("sales@shop.example", "offer").starts_with("250 2.0.0 Ok: queued as "));
  EXPECT_EQ(inbox(alice_).size(), 0u);
  EXPECT_EQ(junk(), 1u) << "p=quarantine files it as Junk";
  EXPECT_EQ(appliance::process_counters().dmarc_junked, junked + 1);
  EXPECT_TRUE(send("friend@elsewhere.example", "no record").starts_with("250 "));
  EXPECT_EQ(inbox(alice_).size(), 1u) << "no DMARC record: delivered";
  // The content filter's refusal is stricter than p=quarantine, and not DMARC's doing.
  filter.reply = R"({"action":"reject","score":20})";
  EXPECT_TRUE(send("sales@shop.example", "spam offer").starts_with("550 5.7.1 "));
  EXPECT_EQ(appliance::process_counters().dmarc_junked, junked + 1);
  EXPECT_EQ(junk(), 1u);
  filter.reply = R"({"action":"no action","score":1,"required_score":15})";

  backends_.dmarc = DmarcPolicy::record;
  EXPECT_TRUE(send("ceo@bank.example", "wire again").starts_with("250 "));
  EXPECT_TRUE(send("sales@shop.example", "offer again").starts_with("250 "));
  auto mail = inbox(alice_);
  ASSERT_EQ(mail.size(), 3u) << "recorded only";
  EXPECT_NE(mail[1].find("dmarc=fail (p=reject) header.from=bank.example"), std::string::npos)
      << mail[1];
  EXPECT_EQ(junk(), 1u);
}

// Nor is a report sent for junk, or to a null sender, even one whose HELO
// domain SPF vouches for; clean mail from a vouched-for sender still gets one.
TEST_F(ConversationTest, NoDeliveredReportForJunkOrANullSender) {
  dns::testing::FakeResolver dns;
  for (const char* domain : {"elsewhere.example", "client.example"})
    dns.txt_answers[domain] = {dns::Outcome::kAnswer, {"v=spf1 ip4:192.0.2.0/24 -all"}, {}};
  ScriptedFilter filter;
  backends_.resolver = &dns;
  backends_.filter = &filter;
  backends_.spool = std::filesystem::temp_directory_path();
  auto send = [&](const std::string& sender, const std::string& verdict) {
    filter.reply = R"({"action":")" + verdict + R"(","score":1,"required_score":15})";
    auto c = connect(smtp::Mode::mx);
    say(*c, "EHLO client.example\r\n");
    say(*c, "MAIL FROM:<" + sender + ">\r\n");
    say(*c, "RCPT TO:<alice@example.test> NOTIFY=SUCCESS\r\n");
    say(*c, "DATA\r\n");
    return say(*c, "Subject: hi\r\n\r\nHello.\r\n.\r\n");
  };
  auto queued = [&] { return tenant_->queue().entries().value().size(); };
  EXPECT_TRUE(send("someone@elsewhere.example", "add header").starts_with("250 "));
  EXPECT_EQ(queued(), 0u) << "junk";
  EXPECT_TRUE(send("", "no action").starts_with("250 "));
  EXPECT_EQ(queued(), 0u) << "a null sender";
  EXPECT_TRUE(send("someone@elsewhere.example", "no action").starts_with("250 "));
  EXPECT_EQ(queued(), 1u) << "clean mail from a sender SPF vouches for";
}

TEST_F(ConversationTest, MxDeliveryLandsInTheInboxAfterTheCommit) {
  auto c = connect(smtp::Mode::mx);
  EXPECT_EQ(link_->sent, "220 mail.example.test ESMTP\r\n");
  say(*c, "EHLO client.example\r\n");
  EXPECT_EQ(say(*c, "MAIL FROM:<someone@elsewhere.example>\r\n"), "250 2.1.0 Ok\r\n");
  EXPECT_EQ(say(*c, "RCPT TO:<Alice@Example.TEST>\r\n"), "250 2.1.5 Ok\r\n");
  EXPECT_EQ(say(*c, "DATA\r\n"), "354 End data with <CR><LF>.<CR><LF>\r\n");
  link_->sent.clear();
  c->received(kBody + ".\r\n");
  EXPECT_EQ(link_->sent, "") << "250 before the message is durable";
  ASSERT_EQ(workers_.size(), 1u);
  drain();
  std::smatch m;
  ASSERT_TRUE(std::regex_match(link_->sent, m,
                               std::regex("250 2\\.0\\.0 Ok: queued as ([0-9a-f]{16})\r\n")))
      << link_->sent;
  auto mail = inbox(alice_);
  ASSERT_EQ(mail.size(), 1u);
  std::regex expected(
      "Received: from client\\.example \\(\\[192\\.0\\.2\\.7\\]\\)\r\n"
      "\tby mail\\.example\\.test with ESMTP id " +
      m[1].str() +
      "\r\n"
      "\tfor <Alice@Example\\.TEST>;\r\n"
      "\t\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} \\+0000\r\n"
      "Subject: hi\r\n\r\nHello\\.\r\n");
  EXPECT_TRUE(std::regex_match(mail[0], expected)) << mail[0];
  // The MIME summary IMAP serves from, worked out at delivery.
  auto stored = tenant_->messages(alice_.first.id, alice_.second.id);
  ASSERT_TRUE(stored.ok());
  auto summary = mime::parse(tenant_->summary(alice_.first.id, stored->front().id).value());
  ASSERT_TRUE(summary.ok()) << summary.message();
  EXPECT_EQ(summary->subject, "hi");
  EXPECT_EQ(summary->root.end, mail[0].size());
  EXPECT_TRUE(inbox(bob_).empty());
  EXPECT_EQ(say(*c, "QUIT\r\n"), "221 2.0.0 Bye\r\n");
  EXPECT_TRUE(link_->closed);
}

TEST_F(ConversationTest, RecipientsRefusedAtRcpt) {
  auto c = connect(smtp::Mode::mx);
  say(*c, "EHLO client.example\r\n");
  say(*c, "MAIL FROM:<>\r\n");
  EXPECT_EQ(say(*c, "RCPT TO:<nobody@example.test>\r\n"), "550 5.1.1 No such user here\r\n");
  EXPECT_EQ(say(*c, "RCPT TO:<victim@elsewhere.example>\r\n"), "554 5.7.1 Relay access denied\r\n");
  dir_.broken = true;
  EXPECT_EQ(say(*c, "RCPT TO:<alice@example.test>\r\n"),
            "451 4.3.0 Recipient cannot be checked now, try again later\r\n");
  EXPECT_EQ(say(*c, "DATA\r\n"), "554 5.5.1 No valid recipients\r\n");
}

TEST_F(ConversationTest, PostmasterWithoutDomainIsOurs) {
  auto c = connect(smtp::Mode::mx);
  say(*c, "EHLO client.example\r\n");
  say(*c, "MAIL FROM:<>\r\n");
  EXPECT_EQ(say(*c, "RCPT TO:<postmaster>\r\n"), "250 2.1.5 Ok\r\n");
  say(*c, "DATA\r\n");
  EXPECT_EQ(say(*c, kBody + ".\r\n").substr(0, 3), "250");
  EXPECT_EQ(inbox(alice_).size(), 1u);
}

TEST_F(ConversationTest, OneCopyPerAccountAndNoForClauseForSeveral) {
  auto c = connect(smtp::Mode::mx);
  say(*c, "EHLO client.example\r\n");
  say(*c, "MAIL FROM:<a@elsewhere.example>\r\n");
  say(*c, "RCPT TO:<team@example.test>\r\nRCPT TO:<alice@example.test>\r\n");
  say(*c, "DATA\r\n");
  EXPECT_EQ(say(*c, kBody + ".\r\n").substr(0, 3), "250");
  auto a = inbox(alice_), b = inbox(bob_);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0], b[0]);
  EXPECT_EQ(a[0].find("\tfor <"), std::string::npos) << a[0];
}

TEST_F(ConversationTest, AccountsAtTheirQuotaAreRefusedAtRcpt) {
  ASSERT_TRUE(tenant_->set_quota(bob_.first.id, 1).ok());
  auto c = connect(smtp::Mode::mx);
  say(*c, "EHLO client.example\r\n");
  say(*c, "MAIL FROM:<a@elsewhere.example>\r\n");
  EXPECT_EQ(say(*c, "RCPT TO:<bob@example.test>\r\n"), "250 2.1.5 Ok\r\n");  // nothing used yet
  say(*c, "DATA\r\n");
  EXPECT_EQ(say(*c, kBody + ".\r\n").substr(0, 3), "250");
  say(*c, "MAIL FROM:<a@elsewhere.example>\r\n");
  EXPECT_EQ(say(*c, "RCPT TO:<bob@example.test>\r\n"), "552 5.2.2 Mailbox full\r\n");
  // A list keeps its members that have room.
  EXPECT_EQ(say(*c, "RCPT TO:<team@example.test>\r\n"), "250 2.1.5 Ok\r\n");
  say(*c, "DATA\r\n");
  EXPECT_EQ(say(*c, kBody + ".\r\n").substr(0, 3), "250");
  EXPECT_EQ(inbox(alice_).size(), 1u);
  EXPECT_EQ(inbox(bob_).size(), 1u);
}

TEST_F(ConversationTest, PipelinedTransactionsEachWaitForTheirAnswers) {
  auto c = connect(smtp::Mode::mx);
  say(*c, "EHLO client.example\r\n");
  std::string out = say(*c,
                        "MAIL FROM:<a@elsewhere.example>\r\n"
                        "RCPT TO:<nobody@example.test>\r\nRCPT TO:<bob@example.test>\r\n"
                        "DATA\r\n");
  EXPECT_NE(out.find("250 2.1.0 Ok\r\n550 5.1.1 No such user here\r\n250 2.1.5 Ok\r\n354 "),
            std::string::npos)
      << out;
  say(*c, kBody + ".\r\n");
  EXPECT_EQ(inbox(bob_).size(), 1u);
}

TEST_F(ConversationTest, SmugglingEndingsNeverEndTheMessage) {
  for (std::string ending : {"\n.\n", "\n.\r\n", "\r\n.\n", "\r.\r"}) {
    auto c = connect(smtp::Mode::mx);
    say(*c, "EHLO client.example\r\n");
    say(*c, "MAIL FROM:<a@elsewhere.example>\r\n");
    say(*c, "RCPT TO:<bob@example.test>\r\nDATA\r\n");
    std::string out = say(*c, "Subject: x\r\n\r\nbody" + ending +
                                  "MAIL FROM:<evil@elsewhere.example>\r\n"
                                  "RCPT TO:<alice@example.test>\r\n");
    EXPECT_EQ(out, "") << "the smuggled commands were answered";
    EXPECT_EQ(say(*c, "\r\n.\r\n").substr(0, 9), "550 5.6.0");
  }
  EXPECT_TRUE(inbox(alice_).empty());
  EXPECT_TRUE(inbox(bob_).empty());
}

TEST_F(ConversationTest, BdatAndALargeBodyAreStoredExactly) {
  auto c = connect(smtp::Mode::mx);
  say(*c, "EHLO client.example\r\n");
  say(*c, "MAIL FROM:<a@elsewhere.example>\r\nRCPT TO:<bob@example.test>\r\n");
  std::string line(998, 'x');
  std::string body = "Subject: big\r\n\r\n";
  while (body.size() < (3u << 20)) body += line + "\r\n";
  std::string half1 = body.substr(0, body.size() / 2), half2 = body.substr(body.size() / 2);
  EXPECT_EQ(say(*c, "BDAT " + std::to_string(half1.size()) + "\r\n" + half1).substr(0, 3), "250");
  EXPECT_EQ(say(*c, "BDAT " + std::to_string(half2.size()) + " LAST\r\n" + half2).substr(0, 9),
            "250 2.0.0");
  auto mail = inbox(bob_);
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].substr(mail[0].find("Subject: big")), body);
}

TEST_F(ConversationTest, StartTlsTraceNamesVersionAndCipher) {
  auto c = connect(smtp::Mode::mx);
  say(*c, "EHLO client.example\r\n");
  EXPECT_EQ(say(*c, "STARTTLS\r\n"), "220 2.0.0 Ready to start TLS\r\n");
  say(*c, "EHLO client.example\r\n");
  say(*c, "MAIL FROM:<a@elsewhere.example>\r\nRCPT TO:<bob@example.test>\r\n");
  say(*c, "DATA\r\n");
  say(*c, kBody + ".\r\n");
  auto mail = inbox(bob_);
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_NE(mail[0].find("\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)\r\n"
                         "\tby mail.example.test with ESMTPS id "),
            std::string::npos)
      << mail[0];
}

TEST_F(ConversationTest, FailedHandshakeClosesWithoutReply) {
  auto c = connect(smtp::Mode::mx);
  link_->tls_fails = true;
  say(*c, "EHLO client.example\r\n");
  EXPECT_EQ(say(*c, "STARTTLS\r\n"), "220 2.0.0 Ready to start TLS\r\n");
  EXPECT_TRUE(link_->closed);
}

std::string plain(std::string_view user, std::string_view password) {
  return sasl::base64_encode(std::string("\0", 1) + std::string(user) + std::string("\0", 1) +
                             std::string(password));
}

TEST_F(ConversationTest, SubmissionAuthenticatesOnWorkersAndChecksTheSender) {
  auto c = connect(smtp::Mode::submission, true);
  say(*c, "EHLO laptop.example\r\n");
  EXPECT_EQ(say(*c, "AUTH PLAIN " + plain("alice@example.test", "wrong") + "\r\n"),
            "535 5.7.8 Authentication credentials invalid\r\n");
  link_->sent.clear();
  c->received("AUTH PLAIN " + plain("alice@example.test", "correct horse") + "\r\n");
  EXPECT_EQ(link_->sent, "");
  drain();
  EXPECT_EQ(link_->sent, "235 2.7.0 Authentication successful\r\n");
  ASSERT_EQ(dir_.attempts.size(), 2u);
  EXPECT_EQ(dir_.attempts[1].protocol, auth::Protocol::smtp);
  EXPECT_EQ(dir_.attempts[1].client, "laptop.example");
  EXPECT_EQ(auth::to_string(dir_.attempts[1].source), "192.0.2.7");

  EXPECT_EQ(
      say(*c, "MAIL FROM:<bob@example.test>\r\n"),
      "553 5.7.1 Sender address <bob@example.test> does not belong to alice@example.test\r\n");
  EXPECT_EQ(say(*c, "MAIL FROM:<>\r\n"),
            "553 5.7.1 A null sender is not allowed on submission\r\n");
  EXPECT_EQ(say(*c, "MAIL FROM:<team@example.test>\r\n"), "250 2.1.0 Ok\r\n");
  EXPECT_EQ(say(*c, "RCPT TO:<friend@elsewhere.example>\r\n"), "250 2.1.5 Ok\r\n");
  EXPECT_EQ(say(*c, "RCPT TO:<bob@example.test>\r\n"), "250 2.1.5 Ok\r\n");
  EXPECT_EQ(say(*c, "RCPT TO:<other@elsewhere.example>\r\n"), "250 2.1.5 Ok\r\n");
  say(*c, "DATA\r\n");
  link_->sent.clear();
  c->received(kBody + ".\r\n");
  ASSERT_EQ(workers_.size(), 1u);
  workers_.front()();  // the commit stores one copy there and starts a job for the other
  workers_.pop_front();
  EXPECT_EQ(workers_.size(), 1u);
  EXPECT_EQ(link_->sent, "") << "250 before both copies are durable";
  drain();
  EXPECT_EQ(link_->sent.substr(0, 9), "250 2.0.0");
  auto mail = inbox(bob_);
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_NE(mail[0].find("\t(using TLSv1.3 with cipher TLS_AES_128_GCM_SHA256)\r\n"
                         "\tby mail.example.test with ESMTPSA id "),
            std::string::npos)
      << mail[0];
  // The copy for other domains is queued under alice's key, with its own envelope.
  auto queued = tenant_->queue().entries();
  ASSERT_TRUE(queued.ok()) << queued.message();
  ASSERT_EQ(queued->size(), 1u);
  const store::QueueEntry& e = queued->front();
  EXPECT_EQ(e.account, alice_.first.id);
  EXPECT_EQ(e.sender, "team@example.test");
  ASSERT_EQ(e.recipients.size(), 2u);
  EXPECT_EQ(e.recipients[0].address, "friend@elsewhere.example");
  EXPECT_EQ(e.recipients[1].address, "other@elsewhere.example");
  std::string body;
  ASSERT_TRUE(tenant_->queue()
                  .read(e, [&](std::string_view p) -> Result<void> {
                    body.append(p);
                    return {};
                  })
                  .ok());
  EXPECT_EQ(body, mail[0]);
  EXPECT_TRUE(inbox(alice_).empty());
}

TEST_F(ConversationTest, MxStillRefusesRelaying) {
  auto c = connect(smtp::Mode::mx);
  say(*c, "EHLO client.example\r\n");
  say(*c, "MAIL FROM:<a@elsewhere.example>\r\n");
  EXPECT_EQ(say(*c, "RCPT TO:<friend@elsewhere.example>\r\n"),
            "554 5.7.1 Relay access denied\r\n");
  EXPECT_TRUE(tenant_->queue().entries()->empty());
}

TEST_F(ConversationTest, LoginServiceFaultsAndThrottleAreTemporary) {
  auto c = connect(smtp::Mode::submission, true);
  say(*c, "EHLO laptop.example\r\n");
  dir_.throttled = true;
  EXPECT_EQ(say(*c, "AUTH PLAIN " + plain("alice@example.test", "correct horse") + "\r\n"),
            "454 4.7.0 Too many attempts, try again later\r\n");
  dir_.throttled = false;
  dir_.broken = true;
  EXPECT_EQ(say(*c, "AUTH PLAIN " + plain("alice@example.test", "correct horse") + "\r\n"),
            "454 4.7.0 Temporary authentication failure\r\n");
  dir_.broken = false;
  EXPECT_EQ(say(*c, "AUTH PLAIN " +
                        sasl::base64_encode(std::string(
                            "bob@example.test\0alice@example.test\0correct horse", 49)) +
                        "\r\n"),
            "535 5.7.8 Authentication credentials invalid\r\n");
}

TEST_F(ConversationTest, StoreFaultWhileReceivingIs451AndNothingIsStored) {
  auto c = connect(smtp::Mode::mx);
  say(*c, "EHLO client.example\r\n");
  say(*c, "MAIL FROM:<a@elsewhere.example>\r\n");
  say(*c, "RCPT TO:<bob@example.test>\r\n");
  // The account disappears between RCPT and DATA: its data key is gone.
  ASSERT_TRUE(tenant_->destroy_account(bob_.first.id).ok());
  say(*c, "DATA\r\n");
  EXPECT_EQ(say(*c, kBody + ".\r\n"), "451 4.3.0 Message not stored, try again later\r\n");
}

// A submission is signed with every key its sender's domain lists (dkim_sign.h).
// No key listed: stored unsigned. A listed key keyd cannot answer for: 451,
// never stored unsigned.
TEST_F(ConversationTest, SubmissionWhoseKeysKeydCannotAnswerForIs451NotUnsigned) {
  keyd::KeydClient keyd((std::filesystem::temp_directory_path() / "no-keyd-here").string(),
                        std::chrono::milliseconds(0));
  DkimKeys keys(*store_, keyd, std::chrono::seconds(0));  // no cache: each message asks
  DkimSigner signer{keys, keyd};
  backends_.dkim = &signer;
  backends_.spool = std::filesystem::temp_directory_path();
  auto c = connect(smtp::Mode::submission, true);
  say(*c, "EHLO laptop.example\r\n");
  say(*c, "AUTH PLAIN " + plain("alice@example.test", "correct horse") + "\r\n");
  auto send = [&] {
    say(*c, "MAIL FROM:<alice@example.test>\r\n");
    say(*c, "RCPT TO:<bob@example.test>\r\n");
    say(*c, "DATA\r\n");
    return say(*c, "From: alice@example.test\r\n" + kBody + ".\r\n");
  };
  EXPECT_EQ(send().substr(0, 9), "250 2.0.0");
  ASSERT_EQ(inbox(bob_).size(), 1u);
  EXPECT_TRUE(inbox(bob_)[0].starts_with("Received: ")) << inbox(bob_)[0];

  ASSERT_TRUE(store_->set_setting("dkim:example.test", "dkim/example.test/s1").ok());
  EXPECT_EQ(send(), "451 4.3.0 Message not stored, try again later\r\n");
  EXPECT_EQ(inbox(bob_).size(), 1u);
}

TEST_F(ConversationTest, RecipientWhoseStoreFailsIs451AtRcpt) {
  // The directory still knows bob, but his data key is gone: no blob opens.
  ASSERT_TRUE(tenant_->destroy_account(bob_.first.id).ok());
  auto c = connect(smtp::Mode::mx);
  say(*c, "EHLO client.example\r\n");
  say(*c, "MAIL FROM:<a@elsewhere.example>\r\n");
  EXPECT_EQ(say(*c, "RCPT TO:<bob@example.test>\r\n"),
            "451 4.3.0 Recipient cannot be checked now, try again later\r\n");
  EXPECT_EQ(say(*c, "RCPT TO:<alice@example.test>\r\n"), "250 2.1.5 Ok\r\n");
}

TEST_F(ConversationTest, AnswersAfterTheConnectionWentAreDropped) {
  auto c = connect(smtp::Mode::mx);
  say(*c, "EHLO client.example\r\n");
  say(*c, "MAIL FROM:<a@elsewhere.example>\r\nRCPT TO:<bob@example.test>\r\n");
  say(*c, "DATA\r\n");
  link_->sent.clear();
  c->received(kBody + ".\r\n");
  c->closed();
  drain();
  EXPECT_EQ(link_->sent, "");
  EXPECT_EQ(inbox(bob_).size(), 1u);  // committed all the same: the client will retry
}

TEST_F(ConversationTest, IdleTimeoutSays421) {
  auto c = connect(smtp::Mode::mx);
  link_->sent.clear();
  c->goodbye("Idle timeout, closing connection");
  EXPECT_EQ(link_->sent, "421 4.3.2 Idle timeout, closing connection\r\n");
  EXPECT_TRUE(link_->closed);
}

}  // namespace
}  // namespace appliance::smtpd
