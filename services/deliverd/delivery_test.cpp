// NAME
//   delivery_test - deliverd without a daemon: back-off, routes, MX choice,
//   dot-stuffing, and queue passes against a real SQLite store, a resolver
//   of the test's own and a scripted SMTP server on a loopback port.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "deliverd/destinations.h"
#include "deliverd/queue_run.h"
#include "deliverd/testing/fake_server.h"
#include "deliverd/transaction.h"
#include "dns/testing/fake_resolver.h"
#include "proto/common/dot_stuffing.h"
#include "store/testing/fixture.h"

namespace appliance::deliverd {
namespace {

using dns::testing::FakeResolver;
using store::RecipientState;

TEST(Schedule, DoublesFromFiveMinutesToACap) {
  Schedule s;
  EXPECT_EQ(s.next(1, 1000), 1300);
  EXPECT_EQ(s.next(2, 1000), 1600);
  EXPECT_EQ(s.next(3, 1000), 2200);
  EXPECT_EQ(s.next(7, 1000), 1000 + 14400);
  EXPECT_EQ(s.next(400, 1000), 1000 + 14400);
  EXPECT_FALSE(s.expired(0, 432000 - 1));
  EXPECT_TRUE(s.expired(0, 432000));
}

TEST(Routes, DomainsAndSmartHost) {
  auto r = parse_routes(" B.test = 127.0.0.1:2525 , * = relay.test:587");
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->find("b.TEST")->port, 2525);
  EXPECT_EQ(r->find("other.test")->host, "relay.test");
  EXPECT_TRUE(parse_routes("")->by_domain.empty());
  EXPECT_EQ(parse_routes("b.test").message(), "route 'b.test': expected 'domain = host:port'");
  EXPECT_FALSE(parse_routes("b.test = nowhere").ok());
  EXPECT_EQ(parse_routes("a=1.2.3.4:25,A=1.2.3.4:25").message(), "route for a given twice");
}

TEST(DotStuffer, StuffsLineStartsAndEnds) {
  DotStuffer d;
  std::string out = d.put(".one\r\n..two\r\nthree.\r\n.");
  out += d.put("\r\nlast");
  out += d.finish();
  EXPECT_EQ(out, "..one\r\n...two\r\nthree.\r\n..\r\nlast\r\n.\r\n");
  DotStuffer e;
  EXPECT_EQ(e.put("a\r\n") + e.finish(), "a\r\n.\r\n");
  DotStuffer bare;  // a bare LF never reaches the wire: "\n.\r\n" would be a smuggled end
  EXPECT_EQ(bare.put("one\n.two\n") + bare.finish(), "one\r\n..two\r\n.\r\n");
}

TEST(Destinations, MxOrderImplicitMxNullMxAndFailures) {
  FakeResolver dns;
  dns.set_mx("b.test", {{10, "mx1.b.test"}, {20, "mx2.b.test"}});
  dns.set_addresses("mx2.b.test", {"127.0.0.2"}, true, "mail.provider.test");
  dns.set_addresses("mx1.b.test", {"::1", "127.0.0.1"});
  auto d = find_destinations(dns, {}, 25, "b.test");
  ASSERT_EQ(d.kind, Destinations::Kind::found);
  ASSERT_EQ(d.hosts.size(), 2u);
  EXPECT_EQ(d.hosts[0].name, "mx1.b.test");
  EXPECT_EQ(d.hosts[0].addresses.size(), 2u);
  EXPECT_EQ(d.hosts[0].canonical, "");
  EXPECT_EQ(d.hosts[1].canonical, "mail.provider.test") << "an alias, for DANE's TLSA";

  dns.mx_answers["nomx.test"] = {dns::Outcome::kNoData, {}, "no MX"};
  dns.set_addresses("nomx.test", {"127.0.0.9"});
  auto implicit = find_destinations(dns, {}, 2525, "nomx.test");
  ASSERT_EQ(implicit.kind, Destinations::Kind::found);
  EXPECT_EQ(implicit.hosts[0].name, "nomx.test");
  EXPECT_EQ(implicit.hosts[0].port, 2525);

  dns.set_mx("null.test", {{0, ""}});
  auto null = find_destinations(dns, {}, 25, "null.test");
  EXPECT_EQ(null.kind, Destinations::Kind::permanent);
  EXPECT_EQ(null.why, "domain null.test accepts no mail (null MX)");
  EXPECT_EQ(find_destinations(dns, {}, 25, "gone.test").kind, Destinations::Kind::permanent);
  dns.mx_answers["flaky.test"] = {dns::Outcome::kTemporary, {}, "SERVFAIL"};
  EXPECT_EQ(find_destinations(dns, {}, 25, "flaky.test").kind, Destinations::Kind::temporary);

  auto routed = find_destinations(dns, *parse_routes("b.test = 127.0.0.5:2600"), 25, "b.test");
  ASSERT_EQ(routed.kind, Destinations::Kind::found);
  EXPECT_EQ(routed.hosts[0].addresses, std::vector<std::string>{"127.0.0.5"});
  EXPECT_EQ(routed.hosts[0].port, 2600);
}

// Counts the MX and address lookups that reach it.
class CountingResolver : public FakeResolver {
 public:
  std::atomic<int> mx_asked{0}, addresses_asked{0};
  dns::Lookup<dns::Mx> mx(std::string_view d) override {
    ++mx_asked;
    return FakeResolver::mx(d);
  }
  dns::Lookup<std::string> addresses(std::string_view h) override {
    ++addresses_asked;
    return FakeResolver::addresses(h);
  }
};

class QueuePass : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    tenant_ = tenant("acme");
    alice_ = account(*tenant_, "alice@a.test");
    dns_.set_mx("b.test", {{10, "mx.b.test"}});
    dns_.set_addresses("mx.b.test", {"127.0.0.1"});
    settings_.hostname = "mail.a.test";
    settings_.port = server_.port();
    settings_.client.io_timeout = std::chrono::seconds(30);
  }
  store::QueueEntry enqueue(std::vector<std::string> to, std::int64_t created = 1000) {
    auto blob = tenant_->new_blob(alice_.first.id);
    EXPECT_TRUE(blob.ok());
    EXPECT_TRUE((*blob)->write("Subject: hello\r\nFrom: alice@a.test\r\n\r\n.dot\r\nbye\r\n").ok());
    auto e = tenant_->queue().enqueue(std::move(*blob),
                                      {alice_.first.id, "alice@a.test", std::move(to), created});
    EXPECT_TRUE(e.ok()) << e.message();
    return *e;
  }
  PassCounts pass() {
    QueueRunner runner(*store_, dns_, settings_, schedule_, [this] { return now_; });
    runner.set_lanes(lanes_);
    return runner.run_once();
  }
  std::vector<std::string> inbox() {
    std::vector<std::string> out;
    auto messages = tenant_->messages(alice_.first.id, alice_.second.id);
    EXPECT_TRUE(messages.ok());
    if (!messages) return out;
    for (const auto& m : *messages) out.push_back(get(*tenant_, alice_.first, m.id).value());
    return out;
  }

  // Routes slow.test to server_, which stalls at MAIL until `fast` (routed
  // for fast.test) has a message, or 20 s have passed (which fails the test);
  // `stalled` is set when it starts waiting, `overtaken` when the wait ends early.
  void stall_slow_until(testing::FakeSmtpServer& fast, std::atomic<bool>& stalled,
                        std::atomic<bool>& overtaken) {
    server_.answer = [&](const std::string& line) {
      if (line.rfind("MAIL", 0) == 0) {
        stalled = true;
        for (int i = 0; i < 2000 && !overtaken; ++i) {
          overtaken = !fast.bodies().empty();
          if (!overtaken) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
      }
      return std::string("250 2.0.0 Ok");
    };
    auto routes = parse_routes(fmt::format("slow.test = 127.0.0.1:{}, fast.test = 127.0.0.1:{}",
                                           server_.port(), fast.port()));
    ASSERT_TRUE(routes) << routes.message();
    settings_.routes = *routes;
  }

  testing::FakeSmtpServer server_;
  CountingResolver dns_;
  AttemptSettings settings_;
  Schedule schedule_;
  Lanes lanes_;
  std::int64_t now_ = 1000;
  std::shared_ptr<store::TenantStore> tenant_;
  std::pair<store::Account, store::Mailbox> alice_;
};

TEST_F(QueuePass, DeliversStuffedAndRemovesTheEntry) {
  enqueue({"bob@b.test"});
  auto c = pass();
  EXPECT_EQ(c.delivered, 1u);
  auto lines = server_.lines();
  ASSERT_GE(lines.size(), 4u);
  EXPECT_EQ(lines[0], "EHLO mail.a.test");
  EXPECT_EQ(lines[1], "MAIL FROM:<alice@a.test> BODY=8BITMIME");
  EXPECT_EQ(lines[2], "RCPT TO:<bob@b.test>");
  ASSERT_EQ(server_.bodies().size(), 1u);
  EXPECT_EQ(server_.bodies()[0], "Subject: hello\r\nFrom: alice@a.test\r\n\r\n..dot\r\nbye\r\n");
  EXPECT_TRUE(tenant_->queue().entries()->empty());
  EXPECT_TRUE(inbox().empty());
}

TEST_F(QueuePass, ResolvesEachDomainOncePerPass) {
  enqueue({"bob@b.test"});
  enqueue({"carol@b.test"});
  enqueue({"dave@b.test", "erin@b.test"});
  EXPECT_EQ(pass().delivered, 4u);
  EXPECT_EQ(dns_.mx_asked, 1);
  EXPECT_EQ(dns_.addresses_asked, 1);
  enqueue({"frank@b.test"});
  EXPECT_EQ(pass().delivered, 1u);
  EXPECT_EQ(dns_.mx_asked, 2) << "a new pass asks again";
}

TEST_F(QueuePass, EntriesForOneHostShareAConnectionUpToTheCap) {
  server_.extensions = {"8BITMIME", "SIZE 10000000"};
  for (auto to : {"bob@b.test", "carol@b.test", "dave@b.test"}) enqueue({to});
  EXPECT_EQ(pass().delivered, 3u);
  EXPECT_EQ(server_.connections(), 1);
  auto lines = server_.lines();
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "RSET"), 2);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "QUIT"), 1);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "EHLO mail.a.test"), 1);
  EXPECT_EQ(lines[1], "MAIL FROM:<alice@a.test> BODY=8BITMIME SIZE=49") << "SIZE when offered";
  EXPECT_EQ(server_.bodies().size(), 3u);
  EXPECT_TRUE(tenant_->queue().entries()->empty());

  settings_.messages_per_connection = 2;
  for (auto to : {"erin@b.test", "frank@b.test", "gina@b.test"}) enqueue({to});
  EXPECT_EQ(pass().delivered, 3u);
  EXPECT_EQ(server_.connections(), 3) << "two messages, then a new connection";
}

// A receiver that stalls holds up only its own lane: the entry due after it,
// for another domain, is delivered meanwhile. The stalled server answers MAIL
// only once the other has the message (or after 20 s, which fails the test).
TEST_F(QueuePass, AStalledReceiverHoldsUpOnlyItsOwnLane) {
  testing::FakeSmtpServer fast;
  std::atomic<bool> stalled = false, overtaken = false;
  stall_slow_until(fast, stalled, overtaken);
  enqueue({"bob@slow.test"});
  enqueue({"carol@fast.test"});
  enqueue({"frank@slow.test"});
  EXPECT_EQ(pass().delivered, 3u);
  EXPECT_TRUE(overtaken) << "fast.test waited for slow.test";
  // One lane per domain: the second slow.test entry waited for the first and
  // took its session (a second lane would have waited for the busy server's
  // greeting until io_timeout).
  EXPECT_EQ(server_.connections(), 1);

  overtaken = false;
  lanes_.total = 1;  // one lane: in the order they are due
  enqueue({"dave@slow.test"});
  enqueue({"erin@fast.test"});
  server_.answer = [&](const std::string&) {
    overtaken = overtaken || fast.bodies().size() > 1;
    return std::string("250 2.0.0 Ok");
  };
  EXPECT_EQ(pass().delivered, 2u);
  EXPECT_FALSE(overtaken);
}

// Mail queued while a pass runs is delivered in that pass, on a free lane,
// while a stalled receiver still holds another; the pass then ends.
TEST_F(QueuePass, MailQueuedDuringAPassDoesNotWaitForAStalledDelivery) {
  testing::FakeSmtpServer fast;
  std::atomic<bool> stalled = false, overtaken = false;
  stall_slow_until(fast, stalled, overtaken);
  lanes_.rescan = std::chrono::milliseconds(50);
  enqueue({"bob@slow.test"});
  std::thread later([&] {
    while (!stalled) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    enqueue({"carol@fast.test"});
  });
  PassCounts c = pass();
  later.join();
  EXPECT_EQ(c.delivered, 2u);
  EXPECT_TRUE(overtaken) << "the new entry waited for the stalled one";
  EXPECT_TRUE(tenant_->queue().entries()->empty());
}

// A host that would not open a session is not asked again in the same pass:
// its later entries are deferred with the same reason at once.
TEST_F(QueuePass, AHostThatFailedIsNotTriedAgainInThePass) {
  server_.greeting = "421 4.3.2 busy";
  for (auto to : {"bob@b.test", "carol@b.test", "dave@b.test"}) enqueue({to});
  auto c = pass();
  EXPECT_EQ(c.deferred, 3u);
  EXPECT_EQ(server_.connections(), 1);
  auto entries = tenant_->queue().entries();
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);
  for (const auto& e : *entries)
    EXPECT_NE(e.recipients[0].reply.find("421 4.3.2 busy"), std::string::npos)
        << e.recipients[0].reply;
  now_ += 86400;
  pass();
  EXPECT_EQ(server_.connections(), 2) << "a new pass tries again";
}

TEST_F(QueuePass, AKeptSessionThatRefusesRsetIsReplacedByANewOne) {
  server_.answer = [](const std::string& line) {
    return line == "RSET" ? std::string("421 4.4.2 closing") : std::string("250 2.0.0 Ok");
  };
  enqueue({"bob@b.test"});
  enqueue({"carol@b.test"});
  EXPECT_EQ(pass().delivered, 2u);
  EXPECT_EQ(server_.connections(), 2);
  EXPECT_EQ(server_.bodies().size(), 2u);
}

TEST_F(QueuePass, ARefusedSenderLeavesTheSessionForTheNextEntry) {
  server_.answer = [](const std::string& line) {
    return line.rfind("MAIL FROM:<bad@a.test>", 0) == 0 ? std::string("553 5.7.1 not you")
                                                        : std::string("250 2.0.0 Ok");
  };
  auto blob = tenant_->new_blob(alice_.first.id);
  ASSERT_TRUE(blob.ok() && (*blob)->write("Subject: x\r\n\r\nx\r\n").ok());
  ASSERT_TRUE(tenant_->queue().enqueue(std::move(*blob),
                                       {alice_.first.id, "bad@a.test", {"bob@b.test"}, 1000}));
  enqueue({"carol@b.test"});
  auto c = pass();
  EXPECT_EQ(c.bounced, 1u);
  EXPECT_EQ(c.delivered, 1u);
  EXPECT_EQ(server_.connections(), 1);
}

// RFC 2920: to a server that offers PIPELINING, MAIL, every RCPT and DATA go
// in one write; a refused recipient bounces alone, the others are delivered.
TEST_F(QueuePass, PipeliningSendsTheEnvelopeInOneWrite) {
  server_.extensions = {"8BITMIME", "PIPELINING"};
  server_.answer = [](const std::string& line) {
    if (line == "RCPT TO:<nobody@b.test>") return std::string("550 5.1.1 No such user here");
    return std::string("250 2.0.0 Ok");
  };
  enqueue({"bob@b.test", "nobody@b.test", "carol@b.test"});
  auto c = pass();
  EXPECT_EQ(c.delivered, 2u);
  EXPECT_EQ(c.bounced, 1u);
  ASSERT_EQ(server_.bodies().size(), 1u);
  auto reads = server_.reads();
  EXPECT_NE(std::find(reads.begin(), reads.end(),
                      "MAIL FROM:<alice@a.test> BODY=8BITMIME\r\nRCPT TO:<bob@b.test>\r\n"
                      "RCPT TO:<nobody@b.test>\r\nRCPT TO:<carol@b.test>\r\nDATA\r\n"),
            reads.end());
}

// With every recipient refused, the server refuses DATA (RFC 2920 3.1) or,
// against the RFC, answers 354: then an empty message ends it. Either way
// every reply is read and the session carries the next entry.
TEST_F(QueuePass, PipeliningWithNoRecipientLeftKeepsTheSessionInStep) {
  server_.extensions = {"8BITMIME", "PIPELINING"};
  server_.answer = [](const std::string& line) {
    if (line.rfind("RCPT TO:<nobody", 0) == 0) return std::string("550 5.1.1 No such user here");
    return std::string("250 2.0.0 Ok");
  };
  for (std::string start : {"554 5.5.1 No valid recipients", "354 go ahead"}) {
    server_.data_without_recipients = start;
    enqueue({"nobody@b.test"});
    enqueue({"bob@b.test"});
    auto c = pass();
    EXPECT_EQ(c.bounced, 1u) << start;
    EXPECT_EQ(c.delivered, 1u) << start;
  }
  EXPECT_EQ(server_.connections(), 2) << "one per pass";
  auto bodies = server_.bodies();
  ASSERT_EQ(bodies.size(), 3u);
  EXPECT_EQ(bodies[1], "") << "the empty message after an unwanted 354";
}

TEST_F(QueuePass, TemporaryFailureBacksOffThenExpiresIntoABounce) {
  server_.answer = [](const std::string& line) {
    return line.rfind("RCPT", 0) == 0 ? std::string("451 4.3.0 try later") : "250 2.0.0 Ok";
  };
  auto e = enqueue({"bob@b.test"});
  EXPECT_EQ(pass().deferred, 1u);
  auto after = *tenant_->queue().entry(e.id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->attempts, 1u);
  EXPECT_EQ(after->next_attempt, 1300);
  EXPECT_EQ(after->recipients[0].reply, "451 4.3.0 try later");
  EXPECT_EQ(after->recipients[0].host, "mx.b.test [127.0.0.1]");
  EXPECT_EQ(after->recipients[0].tls_policy, "plain");  // opportunistic, no STARTTLS offered
  EXPECT_EQ(after->recipients[0].tls_version, "");
  now_ = 1200;
  EXPECT_EQ(pass().attempts, 0u);  // not due yet
  now_ = 1000 + 432000;
  EXPECT_EQ(pass().bounced, 1u);
  EXPECT_TRUE(tenant_->queue().entries()->empty());
  auto mail = inbox();
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_NE(mail[0].find("Status: 5.4.7"), std::string::npos) << mail[0];
  EXPECT_NE(mail[0].find("last: 451 4.3.0 try later"), std::string::npos);
}

TEST_F(QueuePass, ALateMessageGetsOneDelayNoticeThenItsBounce) {
  server_.answer = [](const std::string& line) {
    return line.rfind("RCPT", 0) == 0 ? std::string("451 4.3.0 try later") : "250 2.0.0 Ok";
  };
  auto e = enqueue({"bob@b.test"});
  EXPECT_EQ(pass().deferred, 1u);
  EXPECT_TRUE(inbox().empty()) << "not late yet";
  now_ = 1000 + 14400;  // four hours: the default delay_notice
  EXPECT_EQ(pass().deferred, 1u);
  auto mail = inbox();
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_NE(mail[0].find("Subject: Delayed Mail (still being retried)"), std::string::npos);
  EXPECT_NE(mail[0].find("Action: delayed\r\nStatus: 4.3.0\r\n"), std::string::npos) << mail[0];
  EXPECT_NE(mail[0].find("Will-Retry-Until: "), std::string::npos);
  EXPECT_NE(mail[0].find("Diagnostic-Code: smtp; 451 4.3.0 try later"), std::string::npos);
  EXPECT_TRUE((*tenant_->queue().entry(e.id))->delay_notified);
  now_ += 86400;
  EXPECT_EQ(pass().deferred, 1u);
  EXPECT_EQ(inbox().size(), 1u) << "one notice per message";
  now_ = 1000 + 432000;
  EXPECT_EQ(pass().bounced, 1u);
  mail = inbox();
  ASSERT_EQ(mail.size(), 2u);
  EXPECT_NE(mail[1].find("Action: failed"), std::string::npos);
}

TEST_F(QueuePass, NoDelayNoticeWhenTurnedOffOrForANullSender) {
  server_.answer = [](const std::string& line) {
    return line.rfind("RCPT", 0) == 0 ? std::string("451 4.3.0 try later") : "250 2.0.0 Ok";
  };
  schedule_.delay_notice = 0;
  enqueue({"bob@b.test"});
  now_ = 1000 + 86400;
  EXPECT_EQ(pass().deferred, 1u);
  EXPECT_TRUE(inbox().empty());
  schedule_.delay_notice = 14400;
  auto blob = tenant_->new_blob(alice_.first.id);
  ASSERT_TRUE(blob.ok() && (*blob)->write("Subject: dsn\r\n\r\nx\r\n").ok());
  ASSERT_TRUE(
      tenant_->queue().enqueue(std::move(*blob), {alice_.first.id, "", {"carol@b.test"}, 1000}));
  now_ += 86400;
  EXPECT_EQ(pass().deferred, 2u);
  auto mail = inbox();
  ASSERT_EQ(mail.size(), 1u) << "only the first entry's sender is told";
  EXPECT_NE(mail[0].find("<bob@b.test>"), std::string::npos);
}

TEST_F(QueuePass, PermanentRefusalBouncesThatRecipientOnly) {
  server_.answer = [](const std::string& line) {
    if (line == "RCPT TO:<nobody@b.test>") return std::string("550 5.1.1 No such user here");
    return std::string("250 2.0.0 Ok");
  };
  dns_.set_mx("null.test", {{0, ""}});
  enqueue({"bob@b.test", "nobody@b.test", "x@null.test"});
  auto c = pass();
  EXPECT_EQ(c.delivered, 1u);
  EXPECT_EQ(c.bounced, 2u);
  EXPECT_TRUE(tenant_->queue().entries()->empty());
  auto mail = inbox();
  ASSERT_EQ(mail.size(), 1u);
  const std::string& dsn = mail[0];
  EXPECT_NE(dsn.find("Content-Type: multipart/report; report-type=delivery-status;"),
            std::string::npos);
  EXPECT_NE(dsn.find("Final-Recipient: rfc822; nobody@b.test\r\nAction: failed\r\nStatus: 5.1.1"),
            std::string::npos)
      << dsn;
  EXPECT_NE(dsn.find("Diagnostic-Code: smtp; 550 5.1.1 No such user here"), std::string::npos);
  EXPECT_NE(dsn.find("Final-Recipient: rfc822; x@null.test"), std::string::npos);
  EXPECT_NE(
      dsn.find("Content-Type: text/rfc822-headers\r\n\r\nSubject: hello\r\nFrom: alice@a.test\r\n"),
      std::string::npos);
  EXPECT_EQ(dsn.find("bye"), std::string::npos) << "only the headers are returned";
}

TEST_F(QueuePass, NotifyNeverSendsNoBounceAndRetFullReturnsTheMessage) {
  server_.answer = [](const std::string& line) {
    return line.rfind("RCPT", 0) == 0 ? std::string("550 5.1.1 No such user here")
                                      : std::string("250 2.0.0 Ok");
  };
  auto blob = tenant_->new_blob(alice_.first.id);
  ASSERT_TRUE(blob.ok() && (*blob)->write("Subject: full\r\n\r\nthe body\r\n").ok());
  store::NewQueueEntry n{alice_.first.id, "alice@a.test", {"bob@b.test", "carol@b.test"}, 1000};
  n.ret = "FULL";
  n.envid = "env-1";
  n.dsn = {{"NEVER", ""}, {"FAILURE", "rfc822;carol@old.test"}};
  ASSERT_TRUE(tenant_->queue().enqueue(std::move(*blob), n).ok());
  EXPECT_EQ(pass().bounced, 2u);
  auto mail = inbox();
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].find("bob@b.test"), std::string::npos) << "NOTIFY=NEVER: " << mail[0];
  EXPECT_NE(mail[0].find("Original-Envelope-Id: env-1\r\n"), std::string::npos);
  EXPECT_NE(mail[0].find("Original-Recipient: rfc822;carol@old.test\r\n"), std::string::npos);
  EXPECT_NE(mail[0].find("Content-Type: message/rfc822\r\n\r\nSubject: full\r\n\r\nthe body\r\n"),
            std::string::npos)
      << mail[0];
}

TEST_F(QueuePass, NotifyDelayAloneChoosesTheDelayNotice) {
  server_.answer = [](const std::string& line) {
    return line.rfind("RCPT", 0) == 0 ? std::string("451 4.3.0 try later") : "250 2.0.0 Ok";
  };
  auto blob = tenant_->new_blob(alice_.first.id);
  ASSERT_TRUE(blob.ok() && (*blob)->write("Subject: late\r\n\r\nx\r\n").ok());
  store::NewQueueEntry n{alice_.first.id, "alice@a.test", {"bob@b.test", "carol@b.test"}, 1000};
  n.dsn = {{"FAILURE", ""}, {"DELAY", ""}};
  ASSERT_TRUE(tenant_->queue().enqueue(std::move(*blob), n).ok());
  now_ = 1000 + 14400;
  EXPECT_EQ(pass().deferred, 2u);
  auto mail = inbox();
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_NE(mail[0].find("Final-Recipient: rfc822; carol@b.test\r\nAction: delayed"),
            std::string::npos);
  EXPECT_EQ(mail[0].find("Final-Recipient: rfc822; bob@b.test"), std::string::npos);
  now_ = 1000 + 432000;
  EXPECT_EQ(pass().bounced, 2u);
  mail = inbox();
  ASSERT_EQ(mail.size(), 2u);
  EXPECT_NE(mail[1].find("Final-Recipient: rfc822; bob@b.test\r\nAction: failed"),
            std::string::npos);
  EXPECT_EQ(mail[1].find("carol@b.test\r\nAction"), std::string::npos) << "DELAY only";
  EXPECT_NE(mail[1].find("text/rfc822-headers"), std::string::npos) << "no RET: the headers";
}

TEST_F(QueuePass, NotifySuccessIsPassedOnOrReportedAsRelayed) {
  auto queue_success = [&] {
    auto blob = tenant_->new_blob(alice_.first.id);
    ASSERT_TRUE(blob.ok() && (*blob)->write("Subject: ok\r\n\r\nx\r\n").ok());
    store::NewQueueEntry n{alice_.first.id, "alice@a.test", {"bob@b.test"}, 1000};
    n.ret = "HDRS";
    n.envid = "id+1";
    n.dsn = {{"SUCCESS,FAILURE", "rfc822;bob=old@b.test"}};
    ASSERT_TRUE(tenant_->queue().enqueue(std::move(*blob), n).ok());
  };
  queue_success();
  EXPECT_EQ(pass().delivered, 1u);
  auto lines = server_.lines();
  EXPECT_EQ(lines[1], "MAIL FROM:<alice@a.test> BODY=8BITMIME") << "no DSN offered: nothing passed";
  EXPECT_EQ(lines[2], "RCPT TO:<bob@b.test>");
  auto mail = inbox();
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_NE(mail[0].find("Subject: Successful Mail Relay"), std::string::npos);
  EXPECT_NE(mail[0].find("Original-Recipient: rfc822;bob+3Dold@b.test\r\nFinal-Recipient: rfc822; "
                         "bob@b.test\r\nAction: relayed\r\nStatus: 2.0.0\r\n"),
            std::string::npos)
      << mail[0];

  server_.extensions = {"8BITMIME", "DSN"};
  queue_success();
  EXPECT_EQ(pass().delivered, 1u);
  lines = server_.lines();
  auto mail_line = std::find(lines.begin() + 4, lines.end(),
                             "MAIL FROM:<alice@a.test> BODY=8BITMIME RET=HDRS ENVID=id+2B1");
  ASSERT_NE(mail_line, lines.end());
  EXPECT_EQ(*(mail_line + 1),
            "RCPT TO:<bob@b.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob+3Dold@b.test");
  EXPECT_EQ(inbox().size(), 1u) << "the next hop reports success itself";
}

TEST_F(QueuePass, HeldEntriesWaitAndUnreachableHostsDefer) {
  auto e = enqueue({"bob@b.test"});
  ASSERT_TRUE(*tenant_->queue().set_held(e.id, true));
  EXPECT_EQ(pass().attempts, 0u);
  ASSERT_TRUE(*tenant_->queue().set_held(e.id, false));
  settings_.port = 1;  // nothing listens there
  EXPECT_EQ(pass().deferred, 1u);
  auto after = *tenant_->queue().entry(e.id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->recipients[0].state, RecipientState::pending);
  EXPECT_NE(after->recipients[0].reply.find("451 4.4.1 connect to [127.0.0.1]:1"),
            std::string::npos)
      << after->recipients[0].reply;
}

// Every pass ends with the MTA-STS cache's refresh (mta_sts.h): a policy used
// by an attempt is fetched again a day later, by a pass with nothing due.
TEST_F(QueuePass, PassesRefreshTheMtaStsPoliciesInUse) {
  int fetches = 0;
  settings_.sts = std::make_shared<StsPolicies>(
      [&](dns::Resolver&, const std::string&) -> Result<std::string> {
        ++fetches;
        return std::string("version: STSv1\nmode: testing\nmx: mx.b.test\nmax_age: 604800\n");
      },
      [this] { return now_; });
  dns_.txt_answers["_mta-sts.b.test"] = {dns::Outcome::kAnswer, {"v=STSv1; id=1"}, {}};
  enqueue({"bob@b.test"});
  EXPECT_EQ(pass().delivered, 1u);
  EXPECT_EQ(fetches, 1);
  now_ += 86400;
  EXPECT_EQ(pass().attempts, 0u);
  EXPECT_EQ(fetches, 2);
}

TEST_F(QueuePass, AStoppingDaemonStartsNoMoreEntries) {
  enqueue({"bob@b.test"});
  std::atomic<bool> stopping{true};
  QueueRunner runner(*store_, dns_, settings_, Schedule{}, [this] { return now_; });
  runner.stop_on(&stopping);
  EXPECT_EQ(runner.run_once().attempts, 0u);
  EXPECT_EQ(tenant_->queue().entries()->size(), 1u);
}

}  // namespace
}  // namespace appliance::deliverd
