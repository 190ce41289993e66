// Tests of the TLS policy without a certificate: which policy each host
// gets (decide, host_tls), the MTA-STS cache, and what an attempt does when
// the policy requires TLS that a plain-text server cannot give.
#include "deliverd/tls_policy.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "deliverd/attempt.h"
#include "deliverd/mta_sts.h"
#include "deliverd/testing/fake_server.h"
#include "dns/pass_cache.h"
#include "dns/testing/fake_resolver.h"

namespace appliance::deliverd {
namespace {

using dns::Lookup;
using dns::Outcome;
using dns::Tlsa;

const Tlsa kEe{3, 1, 1, std::string(32, 'x')};
const Tlsa kTa{2, 0, 2, std::string(64, 'y')};

Lookup<Tlsa> secure(std::vector<Tlsa> records) {
  return {Outcome::kAnswer, std::move(records), {}, true};
}

mta_sts::Policy sts(mta_sts::Mode mode) {
  return {mode, {"mx.b.test", "*.mx.b.test"}, 86400};
}

TEST(TlsPolicy, UsableTlsaAreDaneTaAndDaneEe) {
  std::vector<Tlsa> all = {kEe,           kTa, {0, 0, 1, "a"}, {1, 1, 1, "b"}, {3, 2, 1, "c"},
                           {3, 1, 3, "d"}};
  auto usable = usable_tlsa(all);
  ASSERT_EQ(usable.size(), 2u);
  EXPECT_EQ(usable[0].usage, 3);
  EXPECT_EQ(usable[1].usage, 2);
}

TEST(TlsPolicy, DaneWithUsableRecordsRequiresAMatch) {
  Host host{"mx.b.test", {"127.0.0.1"}, 25, true};
  auto l = secure({kEe, {1, 1, 1, "pkix"}});
  auto t = decide(host, &l, nullptr);
  EXPECT_EQ(t.policy, "dane");
  EXPECT_TRUE(t.tls_required);
  EXPECT_TRUE(t.check_required);
  EXPECT_EQ(t.check.kind, TlsCheck::Kind::dane);
  EXPECT_EQ(t.check.tlsa.size(), 1u);
  EXPECT_EQ(t.check.name, "mx.b.test");
  EXPECT_TRUE(t.unusable.empty());
}

TEST(TlsPolicy, DaneWinsOverMtaSts) {
  Host host{"elsewhere.test", {"127.0.0.1"}, 25, true};
  auto l = secure({kTa});
  auto policy = sts(mta_sts::Mode::enforce);
  EXPECT_EQ(decide(host, &l, &policy).policy, "dane");
}

TEST(TlsPolicy, OnlyUnusableRecordsStillRequireTls) {
  Host host{"mx.b.test", {"127.0.0.1"}, 25, true};
  auto l = secure({{0, 0, 1, "pkix-ta"}});
  auto t = decide(host, &l, nullptr);
  EXPECT_EQ(t.policy, "dane");
  EXPECT_TRUE(t.tls_required);
  EXPECT_FALSE(t.check_required);
}

TEST(TlsPolicy, TlsaFailureIsTemporaryNeverOpportunistic) {
  Host host{"mx.b.test", {"127.0.0.1"}, 25, true};
  Lookup<Tlsa> l{Outcome::kTemporary, {}, "TLSA _25._tcp.mx.b.test: SERVFAIL"};
  auto t = decide(host, &l, nullptr);
  EXPECT_EQ(t.policy, "dane");
  EXPECT_NE(t.unusable.find("TLSA lookup failed"), std::string::npos);
}

TEST(TlsPolicy, UnauthenticatedOrAbsentTlsaIsNoDane) {
  Host host{"mx.b.test", {"127.0.0.1"}, 25, true};
  Lookup<Tlsa> insecure{Outcome::kAnswer, {kEe}, {}, false};
  EXPECT_EQ(decide(host, &insecure, nullptr).policy, "opportunistic");
  Lookup<Tlsa> none{Outcome::kNoDomain, {}, "no such domain", true};
  EXPECT_EQ(decide(host, &none, nullptr).policy, "opportunistic");
  auto policy = sts(mta_sts::Mode::enforce);
  EXPECT_EQ(decide(host, &none, &policy).policy, "mta-sts");
}

TEST(TlsPolicy, MtaStsModes) {
  Host in{"mx.b.test", {"127.0.0.1"}}, wild{"a.mx.b.test", {"127.0.0.1"}},
      out{"mx.evil.test", {"127.0.0.1"}};
  auto enforce = sts(mta_sts::Mode::enforce);
  auto t = decide(in, nullptr, &enforce);
  EXPECT_EQ(t.policy, "mta-sts");
  EXPECT_TRUE(t.tls_required && t.check_required);
  EXPECT_EQ(t.check.kind, TlsCheck::Kind::webpki);
  EXPECT_EQ(t.check.name, "mx.b.test");
  EXPECT_TRUE(decide(wild, nullptr, &enforce).unusable.empty());
  EXPECT_FALSE(decide(out, nullptr, &enforce).unusable.empty());
  auto testing = sts(mta_sts::Mode::testing);
  auto tt = decide(out, nullptr, &testing);
  EXPECT_EQ(tt.policy, "mta-sts testing");
  EXPECT_TRUE(tt.unusable.empty());
  EXPECT_FALSE(tt.tls_required || tt.check_required);
  EXPECT_EQ(tt.check.kind, TlsCheck::Kind::webpki);
  auto none = sts(mta_sts::Mode::none);
  EXPECT_EQ(decide(in, nullptr, &none).policy, "opportunistic");
}

TEST(TlsPolicy, DaneOnlyWithAuthenticatedMxAndAddressesAndNoRoute) {
  dns::testing::FakeResolver dns;
  dns.set_tlsa("_25._tcp.mx.b.test", {kEe});
  Host host{"mx.b.test", {"127.0.0.1"}, 25, true};
  Destinations d{Destinations::Kind::found, {host}, {}, false, true, "b.test"};
  auto dane = host_tls(dns, d, host, nullptr);
  EXPECT_EQ(dane.policy, "dane");
  EXPECT_EQ(dane.check.name, "mx.b.test");
  EXPECT_EQ(dane.check.other_names, std::vector<std::string>{"b.test"})
      << "DANE-TA's second name (RFC 7672 3.2.2)";
  EXPECT_EQ(host_tls(dns, d, host, nullptr, false).policy,
            "opportunistic");  // [deliverd] dane = off
  d.mx_authenticated = false;
  EXPECT_EQ(host_tls(dns, d, host, nullptr).policy, "opportunistic");
  d.mx_authenticated = true;
  d.routed = true;
  EXPECT_EQ(host_tls(dns, d, host, nullptr).policy, "opportunistic");
  d.routed = false;
  host.authenticated = false;
  EXPECT_EQ(host_tls(dns, d, host, nullptr).policy, "opportunistic");
}

// RFC 7672 2.2.3: an MX host that is an alias has its TLSA records looked up
// at the name it expands to first, then at its own name.
TEST(TlsPolicy, AnAliasedHostTakesTheTlsaOfItsExpansionFirst) {
  dns::testing::FakeResolver dns;
  Host host{"mx.b.test", {"127.0.0.1"}, 25, true, "mail.provider.test"};
  Destinations d{Destinations::Kind::found, {host}, {}, false, true, "b.test"};
  const std::vector<std::string> both{"mx.b.test", "b.test"};

  dns.set_tlsa("_25._tcp.mail.provider.test", {kEe});
  auto expanded = host_tls(dns, d, host, nullptr);
  EXPECT_EQ(expanded.policy, "dane");
  EXPECT_EQ(expanded.check.name, "mail.provider.test") << "the TLSA base domain";
  EXPECT_EQ(expanded.check.other_names, both);

  dns.tlsa_answers.clear();  // none at the expansion: the host's own name
  dns.set_tlsa("_25._tcp.mx.b.test", {kEe});
  auto own = host_tls(dns, d, host, nullptr);
  EXPECT_EQ(own.policy, "dane");
  EXPECT_EQ(own.check.name, "mx.b.test");
  EXPECT_EQ(own.check.other_names, (std::vector<std::string>{"mail.provider.test", "b.test"}));

  dns.set_tlsa("_25._tcp.mail.provider.test", {kEe}, false);  // not authenticated: as none
  EXPECT_EQ(host_tls(dns, d, host, nullptr).check.name, "mx.b.test");

  dns.tlsa_answers["_25._tcp.mail.provider.test"] = {Outcome::kTemporary, {}, "SERVFAIL"};
  auto failed = host_tls(dns, d, host, nullptr);
  EXPECT_EQ(failed.policy, "dane");
  EXPECT_FALSE(failed.unusable.empty()) << "a failed lookup is no reason to try less";

  dns.tlsa_answers.clear();
  EXPECT_EQ(host_tls(dns, d, host, nullptr).policy, "opportunistic");
  host.canonical.clear();  // no alias: the expansion is never asked
  dns.set_tlsa("_25._tcp.mail.provider.test", {kEe});
  EXPECT_EQ(host_tls(dns, d, host, nullptr).policy, "opportunistic");
}

TEST(TlsPolicy, TxtAndTlsaAskedOncePerPass) {
  struct Counting : dns::testing::FakeResolver {
    int txt_asked = 0, tlsa_asked = 0;
    Lookup<std::string> txt(std::string_view n) override {
      ++txt_asked;
      return FakeResolver::txt(n);
    }
    Lookup<Tlsa> tlsa(std::string_view n) override {
      ++tlsa_asked;
      return FakeResolver::tlsa(n);
    }
  } dns;
  dns.set_tlsa("_25._tcp.mx.b.test", {kEe});
  dns::PassCache pass(dns);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(pass.tlsa("_25._tcp.mx.b.test").authenticated);
    EXPECT_EQ(pass.txt("_mta-sts.b.test").outcome, Outcome::kNoDomain);
  }
  EXPECT_EQ(dns.txt_asked, 1);
  EXPECT_EQ(dns.tlsa_asked, 1);
}

class StsCache : public ::testing::Test {
 protected:
  StsPolicies policies_{[this](dns::Resolver&, const std::string& domain) -> Result<std::string> {
                          ++fetches_;
                          if (!body_) return make_error("fetch failed for " + domain);
                          return *body_;
                        },
                        [this] { return now_; }};
  dns::testing::FakeResolver dns_;
  std::optional<std::string> body_ =
      "version: STSv1\nmode: enforce\nmx: mx.b.test\nmax_age: 1000\n";
  int fetches_ = 0;
  std::int64_t now_ = 100;

  void record(const std::string& id) {
    dns_.txt_answers["_mta-sts.b.test"] = {Outcome::kAnswer, {"v=STSv1; id=" + id}, {}};
  }
};

TEST_F(StsCache, NoRecordNoPolicy) {
  EXPECT_FALSE(policies_.policy(dns_, "b.test"));
  EXPECT_EQ(fetches_, 0);
}

TEST_F(StsCache, FetchedOnceWhileTheIdStays) {
  record("1");
  auto p = policies_.policy(dns_, "b.test");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->mode, mta_sts::Mode::enforce);
  EXPECT_TRUE(policies_.policy(dns_, "b.test"));
  EXPECT_EQ(fetches_, 1);
  record("2");
  body_ = "version: STSv1\nmode: testing\nmx: mx.b.test\nmax_age: 1000\n";
  EXPECT_EQ(policies_.policy(dns_, "b.test")->mode, mta_sts::Mode::testing);
  EXPECT_EQ(fetches_, 2);
}

TEST_F(StsCache, KeptUntilMaxAgeWhenDnsOrHttpsFail) {
  record("1");
  ASSERT_TRUE(policies_.policy(dns_, "b.test"));
  dns_.txt_answers["_mta-sts.b.test"] = {Outcome::kTemporary, {}, "SERVFAIL"};
  EXPECT_TRUE(policies_.policy(dns_, "b.test")) << "a blocked TXT lookup keeps the policy";
  record("2");
  body_.reset();
  EXPECT_TRUE(policies_.policy(dns_, "b.test")) << "a failed refresh keeps the policy";
  now_ = 100 + 1000;
  EXPECT_FALSE(policies_.policy(dns_, "b.test")) << "expired and not refreshed";
}

// RFC 8461 3.3: a cached policy in use is fetched again once a day, while
// its domain publishes a record, so it does not lapse; at most one look an hour.
TEST_F(StsCache, RefreshedOnceADayBeforeItExpires) {
  body_ = "version: STSv1\nmode: enforce\nmx: mx.b.test\nmax_age: 604800\n";  // a week
  record("1");
  ASSERT_TRUE(policies_.policy(dns_, "b.test"));
  ASSERT_TRUE(policies_.policy(dns_, "b.test"));  // used since it was fetched
  EXPECT_EQ(policies_.refresh(dns_), 0u) << "fetched just now";
  now_ += 86400;
  EXPECT_EQ(policies_.refresh(dns_), 1u);
  EXPECT_EQ(fetches_, 2);
  ASSERT_TRUE(policies_.policy(dns_, "b.test"));
  now_ += 86400 + 600;
  body_.reset();
  EXPECT_EQ(policies_.refresh(dns_), 0u) << "a failed fetch renews nothing";
  now_ += 1800;
  EXPECT_EQ(policies_.refresh(dns_), 0u) << "and is not tried again within the hour";
  EXPECT_EQ(fetches_, 3);
  body_ = "version: STSv1\nmode: enforce\nmx: mx.b.test\nmax_age: 604800\n";
  now_ += 1800;
  EXPECT_EQ(policies_.refresh(dns_), 1u);
  // Renewed: still in force a week after the first fetch, past its first max_age.
  now_ = 100 + 604800 + 3600;
  EXPECT_TRUE(policies_.policy(dns_, "b.test"));
  EXPECT_EQ(fetches_, 4);
  // A domain that stopped publishing its record is not renewed.
  dns_.txt_answers.erase("_mta-sts.b.test");
  now_ += 2 * 86400;
  EXPECT_EQ(policies_.refresh(dns_), 0u);
  EXPECT_EQ(fetches_, 4);
}

// A policy no delivery used since it was last fetched is left to expire; the
// delivery that fetched it used it.
TEST_F(StsCache, OnlyPoliciesInUseAreRefreshed) {
  body_ = "version: STSv1\nmode: enforce\nmx: mx.b.test\nmax_age: 604800\n";
  record("1");
  ASSERT_TRUE(policies_.policy(dns_, "b.test"));  // fetched for a delivery: used
  now_ += 86400;
  EXPECT_EQ(policies_.refresh(dns_), 1u);
  now_ += 86400;
  EXPECT_EQ(policies_.refresh(dns_), 0u) << "not used since the refresh";
  ASSERT_TRUE(policies_.policy(dns_, "b.test"));  // used
  now_ += 3600;
  EXPECT_EQ(policies_.refresh(dns_), 1u);
  EXPECT_EQ(fetches_, 3);
}

// Fetches that take long stop the look at its budget; the rest, oldest
// first, are fetched at the next one.
TEST_F(StsCache, ALookStopsAtItsBudget) {
  body_ = "version: STSv1\nmode: enforce\nmx: mx.b.test\nmax_age: 604800\n";
  std::vector<std::string> fetched;
  StsPolicies slow(
      [&](dns::Resolver&, const std::string& domain) -> Result<std::string> {
        fetched.push_back(domain);
        now_ += 40;
        return *body_;
      },
      [this] { return now_; });
  for (std::string d : {"c.test", "b.test", "d.test"}) {
    dns_.txt_answers["_mta-sts." + d] = {Outcome::kAnswer, {"v=STSv1; id=1"}, {}};
    ASSERT_TRUE(slow.policy(dns_, d));
    ASSERT_TRUE(slow.policy(dns_, d));
  }
  fetched.clear();
  now_ += 86400;
  EXPECT_EQ(slow.refresh(dns_, 60), 2u);
  EXPECT_EQ(fetched, (std::vector<std::string>{"c.test", "b.test"}));
  now_ += 3600;
  EXPECT_EQ(slow.refresh(dns_, 60), 1u);
  EXPECT_EQ(fetched.back(), "d.test");
}

TEST_F(StsCache, AMalformedPolicyIsNoPolicy) {
  record("1");
  body_ = "version: STSv1\nmode: enforce\n";
  EXPECT_FALSE(policies_.policy(dns_, "b.test"));
}

TEST_F(StsCache, KeptInAFileAcrossRestarts) {
  auto dir = std::filesystem::temp_directory_path() / ("sts_cache." + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto file = dir / "mta-sts.json";
  auto fetch = [this](dns::Resolver&, const std::string&) -> Result<std::string> {
    ++fetches_;
    if (!body_) return make_error("fetch failed");
    return *body_;
  };
  auto clock = [this] { return now_; };
  record("1");
  ASSERT_TRUE(StsPolicies(fetch, clock, file).policy(dns_, "b.test"));
  EXPECT_EQ(fetches_, 1);
  body_.reset();  // a restarted daemon that cannot fetch still has the policy
  StsPolicies again(fetch, clock, file);
  auto p = again.policy(dns_, "b.test");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->mx, std::vector<std::string>{"mx.b.test"});
  EXPECT_EQ(fetches_, 1);
  now_ = 100 + 1000;  // expired while stopped: dropped on reading
  EXPECT_FALSE(StsPolicies(fetch, clock, file).policy(dns_, "b.test"));
  std::ofstream(file) << "not json";
  EXPECT_FALSE(StsPolicies(fetch, clock, file).policy(dns_, "b.test"));
  std::filesystem::remove_all(dir);
}

// What an attempt does with a plain-text server when TLS is required.
class TlsAttempt : public ::testing::Test {
 protected:
  void SetUp() override {
    dns_.set_mx("b.test", {{10, "mx.b.test"}}, true);
    dns_.set_addresses("mx.b.test", {"127.0.0.1"}, true);
    settings_.hostname = "mail.a.test";
    settings_.port = server_.port();
    settings_.client.io_timeout = std::chrono::seconds(30);
  }
  store::QueuedRecipient run() {
    store::QueueEntry e;
    e.sender = "alice@a.test";
    e.recipients = {{"bob@b.test"}};
    auto out = attempt(dns_, settings_, e,
                       [](const auto& sink) { return sink("Subject: x\r\n\r\nhi\r\n"); });
    EXPECT_EQ(out.size(), 1u);
    return out.empty() ? store::QueuedRecipient{} : out[0];
  }
  bool mailed() {
    for (const auto& l : server_.lines())
      if (l.rfind("MAIL", 0) == 0) return true;
    return false;
  }

  testing::FakeSmtpServer server_;
  dns::testing::FakeResolver dns_;
  AttemptSettings settings_;
};

TEST_F(TlsAttempt, DaneWithoutStartTlsStaysPendingNeverPlain) {
  dns_.set_tlsa("_25._tcp.mx.b.test", {kEe});
  auto r = run();
  EXPECT_EQ(r.state, store::RecipientState::pending);
  EXPECT_EQ(r.reply.rfind("451 4.7.5 ", 0), 0u) << r.reply;
  EXPECT_NE(r.reply.find("TLS policy dane: STARTTLS not offered"), std::string::npos) << r.reply;
  EXPECT_EQ(r.tls_policy, "dane");
  EXPECT_FALSE(mailed());
}

TEST_F(TlsAttempt, TlsaServfailDoesNotConnect) {
  dns_.tlsa_answers["_25._tcp.mx.b.test"] = {Outcome::kTemporary, {}, "SERVFAIL"};
  auto r = run();
  EXPECT_EQ(r.state, store::RecipientState::pending);
  EXPECT_NE(r.reply.find("TLSA lookup failed"), std::string::npos) << r.reply;
  EXPECT_TRUE(server_.lines().empty());
}

TEST_F(TlsAttempt, NoDaneNoStsIsPlainWhenNoTlsIsOffered) {
  auto r = run();
  EXPECT_EQ(r.state, store::RecipientState::delivered) << r.reply;
  EXPECT_EQ(r.tls_policy, "plain");
  EXPECT_EQ(r.tls_version, "");
}

TEST_F(TlsAttempt, MtaStsEnforceRefusesPlainTestingDeliversAndSaysSo) {
  std::string mode = "enforce";
  settings_.sts = std::make_shared<StsPolicies>(
      [&](dns::Resolver&, const std::string&) -> Result<std::string> {
        return "version: STSv1\nmode: " + mode + "\nmx: mx.b.test\nmax_age: 600\n";
      },
      [] { return std::int64_t{1}; });
  dns_.txt_answers["_mta-sts.b.test"] = {Outcome::kAnswer, {"v=STSv1; id=1"}, {}};
  auto r = run();
  EXPECT_EQ(r.state, store::RecipientState::pending);
  EXPECT_NE(r.reply.find("TLS policy mta-sts: STARTTLS not offered"), std::string::npos) << r.reply;
  EXPECT_FALSE(mailed());
  mode = "testing";
  dns_.txt_answers["_mta-sts.b.test"] = {Outcome::kAnswer, {"v=STSv1; id=2"}, {}};
  r = run();
  EXPECT_EQ(r.state, store::RecipientState::delivered) << r.reply;
  EXPECT_EQ(r.tls_policy, "mta-sts testing (failed: no TLS)");
}

TEST_F(TlsAttempt, MtaStsEnforceSkipsHostsOutsideThePolicy) {
  settings_.sts = std::make_shared<StsPolicies>(
      [](dns::Resolver&, const std::string&) -> Result<std::string> {
        return std::string("version: STSv1\nmode: enforce\nmx: mx.other.test\nmax_age: 600\n");
      },
      [] { return std::int64_t{1}; });
  dns_.txt_answers["_mta-sts.b.test"] = {Outcome::kAnswer, {"v=STSv1; id=1"}, {}};
  auto r = run();
  EXPECT_EQ(r.state, store::RecipientState::pending);
  EXPECT_NE(r.reply.find("matches no mx"), std::string::npos) << r.reply;
  EXPECT_TRUE(server_.lines().empty());
}

// Two domains share an MX host: the plain-text session kept from the one
// without a policy must not carry the other's mail, which MTA-STS protects.
// (The fake server serves one connection at a time, so the new connection
// the second message needs waits for its greeting until io_timeout.)
TEST_F(TlsAttempt, AKeptSessionCarriesOnlyMailOfItsOwnPolicy) {
  settings_.client.io_timeout = std::chrono::seconds(1);
  dns_.set_mx("c.test", {{10, "mx.b.test"}}, true);
  settings_.sts = std::make_shared<StsPolicies>(
      [](dns::Resolver&, const std::string&) -> Result<std::string> {
        return std::string("version: STSv1\nmode: enforce\nmx: mx.b.test\nmax_age: 600\n");
      },
      [] { return std::int64_t{1}; });
  dns_.txt_answers["_mta-sts.b.test"] = {Outcome::kAnswer, {"v=STSv1; id=1"}, {}};
  Connections kept(100);
  auto send = [&](const std::string& to) {
    store::QueueEntry e;
    e.sender = "alice@a.test";
    e.recipients = {{to}};
    auto out = attempt(
        dns_, settings_, e, [](const auto& sink) { return sink("Subject: x\r\n\r\nhi\r\n"); },
        &kept);
    EXPECT_EQ(out.size(), 1u);
    return out.empty() ? store::QueuedRecipient{} : out[0];
  };
  auto plain = send("carol@c.test");
  EXPECT_EQ(plain.state, store::RecipientState::delivered) << plain.reply;
  EXPECT_EQ(plain.tls_policy, "plain");
  auto protected_mail = send("bob@b.test");
  EXPECT_EQ(protected_mail.state, store::RecipientState::pending) << protected_mail.reply;
  int mails = 0;
  for (const auto& l : server_.lines()) mails += l.rfind("MAIL", 0) == 0;
  EXPECT_EQ(mails, 1) << "bob's mail went over the plain session";
}

}  // namespace
}  // namespace appliance::deliverd
