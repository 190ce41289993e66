// NAME
//   dmarc_test.cpp - DMARC records, the From domain, alignment, evaluation.
#include <gtest/gtest.h>

#include "dns/testing/fake_resolver.h"
#include "proto/dmarc/record.h"

namespace appliance::dmarc {
namespace {

TEST(DmarcRecord, ParsedAndRefused) {
  auto r = parse_record("v=DMARC1; p=reject; sp=none; adkim=s; pct=20; rua=mailto:r@example.com");
  ASSERT_TRUE(r) << r.message();
  EXPECT_EQ(r->policy, Policy::reject);
  EXPECT_EQ(*r->subdomain_policy, Policy::none);
  EXPECT_TRUE(r->strict_dkim);
  EXPECT_FALSE(r->strict_spf);
  EXPECT_EQ(r->pct, 20);
  auto msg = [](std::string_view t) {
    auto p = parse_record(t);
    return p ? std::string("accepted") : p.message();
  };
  EXPECT_EQ(msg("p=reject; v=DMARC1"), "tag v: not DMARC1, or not first");
  EXPECT_EQ(msg("v=DMARC1"), "tag p is missing");
  EXPECT_EQ(msg("v=DMARC1; p=drop"), "tag p: unknown policy \"drop\"");
  EXPECT_EQ(msg("v=DMARC1; p=none; aspf=x"), "tag aspf: not r or s");
  EXPECT_EQ(msg("v=DMARC1; p=none; pct=101"), "tag pct: not a number from 0 to 100");
  EXPECT_EQ(msg("v=DMARC1; p=none; p=reject"), "duplicate tag p");
}

TEST(DmarcFrom, OneAddressOnly) {
  EXPECT_EQ(*from_domain("To: a@b.example\r\nFrom: \"Joe, Q\" <joe@Mail.Example.COM>\r\n"),
            "mail.example.com");
  EXPECT_EQ(*from_domain("From: joe@example.org (Joe)\r\n"), "example.org");
  EXPECT_FALSE(from_domain("From: a@x.example, b@y.example\r\n"));
  EXPECT_FALSE(from_domain("From: a@x.example\r\nFrom: b@y.example\r\n"));
  EXPECT_FALSE(from_domain("To: a@x.example\r\n"));
  EXPECT_FALSE(from_domain("From: nobody\r\n"));
  EXPECT_EQ(*from_address("From: \"Joe, Q\" <joe@Mail.Example.COM>\r\n"), "joe@Mail.Example.COM");
  EXPECT_EQ(*from_address("From:  joe@example.org (Joe)\r\n"), "joe@example.org");
  EXPECT_EQ(*from_address("From: joe@example.org\r\n"), "joe@example.org");
  EXPECT_FALSE(from_address("From: a@x.example, b@y.example\r\n"));
}

TEST(DmarcAlignment, RelaxedAndStrict) {
  EXPECT_TRUE(aligned("mail.example.com", "example.com", false));
  EXPECT_FALSE(aligned("mail.example.com", "example.com", true));
  EXPECT_FALSE(aligned("example.net", "example.com", false));
  EXPECT_EQ(organizational_domain("a.b.example.com"), "example.com");
}

// RFC 7489 3.2 with the Public Suffix List: under a public suffix of two
// labels, two registrants are two organizations, never one.
TEST(DmarcAlignment, OrganizationalDomainsFollowThePublicSuffixList) {
  EXPECT_EQ(organizational_domain("mail.bank.co.uk"), "bank.co.uk");
  EXPECT_EQ(organizational_domain("MAIL.Bank.CO.UK."), "bank.co.uk");
  EXPECT_EQ(organizational_domain("a.b.example.com.au"), "example.com.au");
  EXPECT_EQ(organizational_domain("shop.alice.github.io"), "alice.github.io");  // private part
  EXPECT_EQ(organizational_domain("co.uk"), "co.uk");  // a suffix stands alone
  EXPECT_EQ(organizational_domain("localhost"), "localhost");
  EXPECT_TRUE(aligned("mail.bank.co.uk", "bank.co.uk", false));
  EXPECT_FALSE(aligned("attacker.co.uk", "bank.co.uk", false));
  EXPECT_FALSE(aligned("bob.github.io", "alice.github.io", false));
  EXPECT_FALSE(aligned("co.uk", "bank.co.uk", false));
}

TEST(DmarcEvaluate, PolicyFoundAndApplied) {
  dns::testing::FakeResolver dns;
  dns.txt_answers["_dmarc.example.com"] = {
      dns::Outcome::kAnswer, {"v=spf1 -all", "v=DMARC1; p=reject; sp=quarantine"}, {}};
  Authenticated none;
  auto fail = evaluate(dns, "example.com", none);
  EXPECT_EQ(fail.outcome, Outcome::fail);
  EXPECT_EQ(fail.policy, Policy::reject);
  auto sub = evaluate(dns, "news.example.com", {std::nullopt, {"example.com"}});
  EXPECT_EQ(sub.outcome, Outcome::pass);
  EXPECT_EQ(sub.policy, Policy::quarantine);
  auto spf = evaluate(dns, "example.com", {"bounce.example.com", {}});
  EXPECT_EQ(spf.outcome, Outcome::pass);
  EXPECT_EQ(evaluate(dns, "example.org", none).outcome, Outcome::none);
  dns.txt_answers["_dmarc.down.example"] = {dns::Outcome::kTemporary, {}, "timeout"};
  EXPECT_EQ(evaluate(dns, "down.example", none).outcome, Outcome::temperror);
}

// A signature of another registrant under the same two-label suffix does not
// pass for the From domain, and a subdomain's policy comes from its
// registrant's record, not from the suffix.
TEST(DmarcEvaluate, AnotherRegistrantUnderTheSameSuffixDoesNotPass) {
  dns::testing::FakeResolver dns;
  dns.txt_answers["_dmarc.bank.co.uk"] = {dns::Outcome::kAnswer, {"v=DMARC1; p=reject"}, {}};
  dns.txt_answers["_dmarc.co.uk"] = {dns::Outcome::kAnswer, {"v=DMARC1; p=none"}, {}};
  auto forged = evaluate(dns, "bank.co.uk", {"attacker.co.uk", {"attacker.co.uk"}});
  EXPECT_EQ(forged.outcome, Outcome::fail);
  EXPECT_EQ(forged.policy, Policy::reject);
  auto sub = evaluate(dns, "mail.bank.co.uk", {std::nullopt, {"bank.co.uk"}});
  EXPECT_EQ(sub.outcome, Outcome::pass);
  EXPECT_EQ(sub.policy, Policy::reject);
  EXPECT_EQ(evaluate(dns, "mail.bank.co.uk", {}).policy, Policy::reject);
}

}  // namespace
}  // namespace appliance::dmarc
