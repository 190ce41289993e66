// NAME
//   spf_test.cpp - SPF records, the macro examples of RFC 7208 7.4, and
//   check_host() against a fake resolver.
#include <gtest/gtest.h>

#include "dns/testing/fake_resolver.h"
#include "proto/spf/check.h"
#include "proto/spf/macro.h"

namespace appliance::spf {
namespace {

std::string refusal(std::string_view txt) {
  auto r = parse_record(txt);
  return r ? std::string("accepted") : r.message();
}

TEST(SpfRecord, Parsed) {
  auto r = parse_record("v=spf1 +a mx/24//64 -ip4:192.0.2.0/24 ~ip6:2001:db8::/32 "
                        "?include:_spf.example.com exists:%{i}.x.example redirect=example.org");
  ASSERT_TRUE(r) << r.message();
  ASSERT_EQ(r->mechanisms.size(), 6u);
  EXPECT_EQ(r->mechanisms[1].kind, Kind::mx);
  EXPECT_EQ(r->mechanisms[1].cidr4, 24);
  EXPECT_EQ(r->mechanisms[1].cidr6, 64);
  EXPECT_EQ(r->mechanisms[2].qualifier, Qualifier::fail);
  EXPECT_EQ(r->mechanisms[3].cidr6, 32);
  EXPECT_EQ(r->mechanisms[4].domain, "_spf.example.com");
  EXPECT_EQ(*r->redirect, "example.org");
  EXPECT_TRUE(is_spf("v=spf1"));
  EXPECT_FALSE(is_spf("v=spf10 a"));
}

TEST(SpfRecord, Refusals) {
  EXPECT_EQ(refusal("v=spf1 foo"), "unknown mechanism \"foo\"");
  EXPECT_EQ(refusal("v=spf1 ip4:192.0.2.0/33"), "bad CIDR length \"33\"");
  EXPECT_EQ(refusal("v=spf1 ip4:2001:db8::1"), "bad ip4 network");
  EXPECT_EQ(refusal("v=spf1 include"), "\"include\" needs an argument");
  EXPECT_EQ(refusal("v=spf1 all:x"), "\"all\" takes no argument");
  EXPECT_EQ(refusal("v=spf1 redirect=a.example redirect=b.example"), "\"redirect\" given twice");
  EXPECT_EQ(refusal("v=spf1 a:%{z}"), "unknown macro letter 'z'");
  EXPECT_EQ(refusal("v=spf1 a:%{d"), "macro without '}'");
  EXPECT_EQ(refusal("v=spf1 a:x%"), "'%' at the end of a macro string");
  EXPECT_EQ(refusal("spf1 a"), "not an SPF record (no \"v=spf1\")");
  EXPECT_EQ(refusal("v=spf1 unknown-mod=x -all"), "accepted");
}

TEST(SpfMacro, Rfc7208Examples) {
  MacroContext c{"strong-bad@email.example.com", "email.example.com", *parse_address("192.0.2.3"),
                 "mx.example.org"};
  auto x = [&](std::string_view m) { return *expand(m, c); };
  EXPECT_EQ(x("%{s}"), "strong-bad@email.example.com");
  EXPECT_EQ(x("%{o}"), "email.example.com");
  EXPECT_EQ(x("%{d4}"), "email.example.com");
  EXPECT_EQ(x("%{d2}"), "example.com");
  EXPECT_EQ(x("%{d1}"), "com");
  EXPECT_EQ(x("%{dr}"), "com.example.email");
  EXPECT_EQ(x("%{d2r}"), "example.email");
  EXPECT_EQ(x("%{l}"), "strong-bad");
  EXPECT_EQ(x("%{l-}"), "strong.bad");
  EXPECT_EQ(x("%{lr-}"), "bad.strong");
  EXPECT_EQ(x("%{l1r-}"), "strong");
  EXPECT_EQ(x("%{ir}.%{v}._spf.%{d2}"), "3.2.0.192.in-addr._spf.example.com");
  EXPECT_EQ(x("%{lr-}.lp._spf.%{d2}"), "bad.strong.lp._spf.example.com");
  EXPECT_EQ(x("%%%_%-"), "% %20");
  c.ip = *parse_address("2001:db8::cb01");
  EXPECT_EQ(x("%{ir}.%{v}._spf.%{d2}"),
            "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com");
}

struct Fixture : ::testing::Test {
  dns::testing::FakeResolver dns;
  void txt(const std::string& name, std::string record) {
    dns.txt_answers[name] = {dns::Outcome::kAnswer, {std::move(record)}, {}};
  }
  Outcome check(std::string_view ip, const std::string& domain = "example.com") {
    Query q{*parse_address(ip), "user@" + domain, "helo.example.net", domain};
    return check_host(dns, q).outcome;
  }
};

TEST_F(Fixture, Mechanisms) {
  txt("example.com", "v=spf1 ip4:192.0.2.0/24 a mx include:_spf.example.net ~all");
  dns.set_addresses("example.com", {"198.51.100.7"});
  dns.set_mx("example.com", {{10, "mx.example.com"}});
  dns.set_addresses("mx.example.com", {"203.0.113.9", "2001:db8::25"});
  txt("_spf.example.net", "v=spf1 ip6:2001:db8:1::/48 -all");
  EXPECT_EQ(check("192.0.2.44"), Outcome::pass);
  EXPECT_EQ(check("198.51.100.7"), Outcome::pass);
  EXPECT_EQ(check("203.0.113.9"), Outcome::pass);
  EXPECT_EQ(check("2001:db8::25"), Outcome::pass);
  EXPECT_EQ(check("2001:db8:1::5"), Outcome::pass);
  EXPECT_EQ(check("192.0.3.1"), Outcome::softfail);  // include's -all is no match
}

TEST_F(Fixture, NoneRedirectAndErrors) {
  EXPECT_EQ(check("192.0.2.1", "nothing.example"), Outcome::none);
  txt("redirected.example", "v=spf1 redirect=example.org");
  txt("example.org", "v=spf1 -all");
  EXPECT_EQ(check("192.0.2.1", "redirected.example"), Outcome::fail);
  txt("broken.example", "v=spf1 ip4:300.1.1.1 -all");
  EXPECT_EQ(check("192.0.2.1", "broken.example"), Outcome::permerror);
  dns.txt_answers["down.example"] = {dns::Outcome::kTemporary, {}, "timeout"};
  EXPECT_EQ(check("192.0.2.1", "down.example"), Outcome::temperror);
  dns.txt_answers["two.example"] = {dns::Outcome::kAnswer, {"v=spf1 -all", "v=spf1 +all"}, {}};
  EXPECT_EQ(check("192.0.2.1", "two.example"), Outcome::permerror);
  txt("neutral.example", "v=spf1 ip4:10.0.0.1");
  EXPECT_EQ(check("192.0.2.1", "neutral.example"), Outcome::neutral);
}

TEST_F(Fixture, LookupLimits) {
  txt("loop.example", "v=spf1 include:loop.example -all");
  EXPECT_EQ(check("192.0.2.1", "loop.example"), Outcome::permerror);
  txt("voids.example", "v=spf1 a:n1.example a:n2.example a:n3.example -all");
  EXPECT_EQ(check("192.0.2.1", "voids.example"), Outcome::permerror);
  txt("many.example",
      "v=spf1 a:a1.x a:a2.x a:a3.x a:a4.x a:a5.x a:a6.x a:a7.x a:a8.x a:a9.x a:a10.x a:a11.x -all");
  for (int i = 1; i <= 11; ++i) dns.set_addresses("a" + std::to_string(i) + ".x", {"10.0.0.1"});
  EXPECT_EQ(check("192.0.2.1", "many.example"), Outcome::permerror);
}

}  // namespace
}  // namespace appliance::spf
