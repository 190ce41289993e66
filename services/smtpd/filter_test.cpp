// NAME
//   filter_test.cpp - rspamd's actions mapped to SMTP, and a scan that fails.
#include "smtpd/filter.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace appliance::smtpd {
namespace {

Filtering of(const char* reply, FilterFailure on_failure = FilterFailure::defer) {
  return filtering_of(rspamd::parse_reply(reply), on_failure);
}

TEST(Filtering, DeliversCleanMailWithItsScore) {
  Filtering f = of(R"({"action":"no action","score":1.5,"required_score":15})");
  EXPECT_EQ(f.outcome, Filtering::Outcome::deliver);
  EXPECT_EQ(f.fields, "X-Spam-Action: no action\r\nX-Spam-Score: 1.50/15.00\r\n");
  EXPECT_EQ(f.summary, "no action, score 1.50/15.00");
}

TEST(Filtering, FilesSuspectMailAsJunk) {
  for (const char* action : {"add header", "rewrite subject", "quarantine", "discard"}) {
    Filtering f = of(fmt::format(R"({{"action":"{}","score":7}})", action).c_str());
    EXPECT_EQ(f.outcome, Filtering::Outcome::junk) << action;
    EXPECT_EQ(f.fields,
              fmt::format("X-Spam: Yes\r\nX-Spam-Action: {}\r\nX-Spam-Score: 7.00\r\n", action));
  }
}

TEST(Filtering, RefusesOrDefersAsRspamdSays) {
  Filtering f = of(R"({"action":"reject","score":20,"messages":{"smtp_message":"Gtube pattern"}})");
  EXPECT_EQ(f.outcome, Filtering::Outcome::refuse);
  EXPECT_EQ(f.refusal.summary(), "550 5.7.1 Gtube pattern");
  EXPECT_EQ(of(R"({"action":"reject","score":20})").refusal.summary(),
            "550 5.7.1 Message refused as spam");
  EXPECT_EQ(of(R"({"action":"soft reject","score":9})").refusal.summary(),
            "451 4.7.1 Try again later");
  EXPECT_EQ(of(R"({"action":"greylist","score":4.5})").refusal.summary(),
            "451 4.7.1 Try again later");
}

TEST(Filtering, AFailedScanDefersUnlessToldToAccept) {
  Filtering f = of("not json");
  EXPECT_EQ(f.outcome, Filtering::Outcome::refuse);
  EXPECT_EQ(f.refusal.summary(), "451 4.7.1 Content filter unavailable, try again later");
  EXPECT_EQ(f.summary, "scan failed: rspamd reply: not JSON");
  f = of("not json", FilterFailure::accept);
  EXPECT_EQ(f.outcome, Filtering::Outcome::deliver);
  EXPECT_EQ(f.fields, "");
}

// Nothing listens on port 1 of loopback: the scan fails at once and defers.
TEST(RspamdFilter, AFilterThatIsDownDefers) {
  RspamdFilter filter({.url = "http://127.0.0.1:1", .timeout = std::chrono::seconds(5)});
  Envelope envelope{
      "192.0.2.7", "client.example", "a@example.org", {"b@example.test"}, "0123456789abcdef"};
  Filtering f = filter.scan(envelope, "Subject: hi\r\n\r\nHello.\r\n");
  EXPECT_EQ(f.outcome, Filtering::Outcome::refuse);
  EXPECT_EQ(f.refusal.summary(), "451 4.7.1 Content filter unavailable, try again later");
  EXPECT_TRUE(f.summary.starts_with("scan failed: ")) << f.summary;
}

}  // namespace
}  // namespace appliance::smtpd
