// NAME
//   inbound_test.cpp - the Authentication-Results of mail on the MX port,
//   with a fake resolver: the RFC 8463 example message (both signatures
//   pass), SPF and DMARC pass and fail, a changed body, temporary failures.
#include "smtpd/inbound.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "dns/testing/fake_resolver.h"
#include "proto/dkim/testing/rfc8463.h"

namespace appliance::smtpd {
namespace {

using dkim::testing::kRfc8463Signed;
constexpr std::string_view kSigned = kRfc8463Signed;

struct Inbound : ::testing::Test {
  dns::testing::FakeResolver dns;
  Inbound() {
    txt("brisbane._domainkey.football.example.com", std::string(dkim::testing::kRfc8463Ed25519Record));
    txt("test._domainkey.football.example.com", std::string(dkim::testing::kRfc8463RsaRecord));
    txt("football.example.com", "v=spf1 ip4:192.0.2.0/24 -all");
    txt("_dmarc.football.example.com", "v=DMARC1; p=reject");
  }
  void txt(const std::string& name, std::string value) {
    dns.txt_answers[name] = {dns::Outcome::kAnswer, {std::move(value)}, {}};
  }
  std::string check(std::string_view message, const std::string& ip = "192.0.2.9",
                    const std::string& from = "joe@football.example.com", std::size_t piece = 7) {
    InboundCheck c;
    for (std::size_t i = 0; i < message.size(); i += piece) c.write(message.substr(i, piece));
    return c.results(dns, {ip, "mail.football.example.com", from}, "mx.example.net", 1528637999);
  }
};

TEST_F(Inbound, AllPass) {
  EXPECT_EQ(check(kSigned),
            "Authentication-Results: mx.example.net;\r\n"
            "\tdkim=pass header.d=football.example.com header.s=brisbane header.a=ed25519-sha256 "
            "header.b=\"/gCrinpc\";\r\n"
            "\tdkim=pass header.d=football.example.com header.s=test header.a=rsa-sha256 "
            "header.b=F45dVWDf;\r\n"
            "\tspf=pass smtp.mailfrom=joe@football.example.com;\r\n"
            "\tdmarc=pass (p=reject) header.from=football.example.com\r\n");
}

TEST_F(Inbound, SpfFailButDkimAlignedStillPassesDmarc) {
  std::string r = check(kSigned, "198.51.100.1");
  EXPECT_NE(r.find("spf=fail smtp.mailfrom=joe@football.example.com"), std::string::npos) << r;
  EXPECT_NE(r.find("dmarc=pass (p=reject)"), std::string::npos) << r;
}

TEST_F(Inbound, ChangedBodyFailsDkimAndDmarcWithoutSpf) {
  std::string message(kSigned);
  message.replace(message.find("Joe.\r\n"), 4, "Bob.");
  std::string r = check(message, "198.51.100.1");
  EXPECT_NE(r.find("dkim=fail reason=\"body hash did not verify\" header.d=football.example.com "
                   "header.s=brisbane"),
            std::string::npos)
      << r;
  EXPECT_NE(r.find("dmarc=fail (p=reject) header.from=football.example.com"), std::string::npos) << r;
}

TEST_F(Inbound, UnsignedNullSenderAndTemporaryFailures) {
  std::string plain = "From: a@elsewhere.example\r\nSubject: x\r\n\r\nhi\r\n";
  dns.txt_answers["elsewhere.example"] = {dns::Outcome::kTemporary, {}, "timeout"};
  std::string r = check(plain, "192.0.2.1", "");
  EXPECT_EQ(r,
            "Authentication-Results: mx.example.net;\r\n"
            "\tdkim=none;\r\n"
            "\tspf=none smtp.helo=mail.football.example.com;\r\n"
            "\tdmarc=none header.from=elsewhere.example\r\n");
  r = check(plain, "192.0.2.1", "a@elsewhere.example");
  EXPECT_NE(r.find("spf=temperror smtp.mailfrom=a@elsewhere.example"), std::string::npos) << r;
  dns.txt_answers["test._domainkey.football.example.com"] = {dns::Outcome::kTemporary, {}, "t"};
  r = check(kSigned);
  EXPECT_NE(r.find("dkim=temperror reason=\"key lookup failed\" header.d=football.example.com "
                   "header.s=test"),
            std::string::npos)
      << r;
}

TEST_F(Inbound, NoBodyNoFrom) {
  std::string r = check("Subject: x\r\n", "192.0.2.1");
  EXPECT_NE(r.find("dmarc=permerror reason=\"the message has no From field\""), std::string::npos)
      << r;
}

// RFC 7489 6.6.4 and 6.7: what a failing message's policy asks, sampled by pct=.
TEST(DmarcFiltering, PolicyOfAFailingMessageSampledByPct) {
  using dmarc::Outcome, dmarc::Policy;
  auto outcome = [](Outcome o, Policy p, int pct, int roll) {
    return dmarc_filtering({o, p, "", pct}, "bank.example", roll).outcome;
  };
  Filtering refused = dmarc_filtering({Outcome::fail, Policy::reject, "", 100}, "bank.example", 99);
  EXPECT_EQ(refused.outcome, Filtering::Outcome::refuse);
  EXPECT_EQ(refused.refusal.summary(),
            "550 5.7.26 Unauthenticated mail from bank.example refused by its DMARC policy");
  EXPECT_EQ(refused.summary, "dmarc fail, p=reject pct=100: refused");
  EXPECT_EQ(outcome(Outcome::fail, Policy::quarantine, 100, 99), Filtering::Outcome::junk);
  EXPECT_EQ(outcome(Outcome::fail, Policy::none, 100, 0), Filtering::Outcome::deliver);
  for (Outcome o : {Outcome::pass, Outcome::none, Outcome::temperror, Outcome::permerror})
    EXPECT_EQ(outcome(o, Policy::reject, 100, 0), Filtering::Outcome::deliver);
  // Outside the sampled share, the next milder policy.
  EXPECT_EQ(outcome(Outcome::fail, Policy::reject, 20, 19), Filtering::Outcome::refuse);
  EXPECT_EQ(outcome(Outcome::fail, Policy::reject, 20, 20), Filtering::Outcome::junk);
  EXPECT_EQ(outcome(Outcome::fail, Policy::quarantine, 0, 0), Filtering::Outcome::deliver);
  // A From domain that is not a plain token is quoted, printable only.
  EXPECT_EQ(
      dmarc_filtering({Outcome::fail, Policy::reject, "", 100}, "a\"b;c", 0).refusal.summary(),
      "550 5.7.26 Unauthenticated mail from \"ab;c\" refused by its DMARC policy");
}

TEST(InboundHoldTest, AuthenticationResultsClaimingThisHostAreDropped) {
  dns::testing::FakeResolver dns;
  auto hold = InboundHold::start(std::filesystem::temp_directory_path(), dns,
                                 {"192.0.2.1", "client.example", "a@elsewhere.example"},
                                 "mx.example.net");
  ASSERT_TRUE(hold) << hold.message();
  std::string message =
      "Authentication-Results: MX.example.net; dkim=pass header.d=bank.example\r\n"
      "Authentication-Results: other.example;\r\n\tspf=pass smtp.mailfrom=a@elsewhere.example\r\n"
      "Authentication-Results: mx.example.net 1;\r\n\tdmarc=pass\r\n"
      "From: a@elsewhere.example\r\n\r\nbody\r\n";
  for (std::size_t i = 0; i < message.size(); i += 5)
    ASSERT_TRUE((*hold)->write(std::string_view(message).substr(i, 5)));
  auto above = (*hold)->above(1);
  ASSERT_TRUE(above);
  std::string out;
  ASSERT_TRUE((*hold)->replay([&](std::string_view s) {
    out += s;
    return Result<void>();
  }));
  EXPECT_EQ(out,
            "Authentication-Results: other.example;\r\n\tspf=pass smtp.mailfrom=a@elsewhere.example\r\n"
            "From: a@elsewhere.example\r\n\r\nbody\r\n");
}

}  // namespace
}  // namespace appliance::smtpd
