// Tests of the TLSA answer reader: real responses, and each way one can be broken.
#include "dns/answer.h"

#include <gtest/gtest.h>

namespace appliance::dns {
namespace {

using namespace std::string_literals;

// A response to "_25._tcp.mx.example. IN TLSA" with the given answer records.
std::string response(const std::string& answers, int count) {
  std::string m = "\x12\x34\x81\x80\x00\x01"s;
  m += static_cast<char>(0);
  m += static_cast<char>(count);
  m += "\x00\x00\x00\x00"s;
  m += "\x03_25\x04_tcp\x02mx\x07"
       "example\x00\x00\x34\x00\x01"s;
  return m + answers;
}

std::string record(const std::string& rdata, int type = 52) {
  std::string r = "\xc0\x0c\x00"s;
  r += static_cast<char>(type);
  r += "\x00\x01\x00\x00\x0e\x10\x00"s;
  r += static_cast<char>(rdata.size());
  return r + rdata;
}

TEST(DnsAnswer, ReadsTlsaRecords) {
  auto m = response(record("\x03\x01\x01\xaa\xbb"s) + record("\x02\x00\x02\x01"s), 2);
  auto parsed = parse_tlsa(m);
  ASSERT_TRUE(parsed) << parsed.message();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].usage, 3);
  EXPECT_EQ((*parsed)[0].selector, 1);
  EXPECT_EQ((*parsed)[0].matching, 1);
  EXPECT_EQ((*parsed)[0].data, "\xaa\xbb"s);
  EXPECT_EQ((*parsed)[1].usage, 2);
  EXPECT_EQ((*parsed)[1].data, "\x01"s);
}

TEST(DnsAnswer, SkipsOtherTypes) {
  auto m = response(record("\x01\x02\x03\x04"s, 1) + record("\x03\x01\x01\xcc"s), 2);
  auto parsed = parse_tlsa(m);
  ASSERT_TRUE(parsed) << parsed.message();
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ((*parsed)[0].data, "\xcc"s);
}

TEST(DnsAnswer, RefusesBrokenMessages) {
  EXPECT_EQ(parse_tlsa("\x12\x34").message(), "DNS response shorter than its header");
  auto query = response("", 0);
  query[2] = 0x01;
  EXPECT_EQ(parse_tlsa(query).message(), "DNS message is not a response");
  auto good = response(record("\x03\x01\x01\xaa\xbb"s), 1);
  EXPECT_EQ(parse_tlsa(good.substr(0, good.size() - 1)).message(),
            "DNS response truncated in answer 1");
  EXPECT_EQ(parse_tlsa(response(record("\x03\x01"s), 1)).message(),
            "answer 1: TLSA record shorter than 3 bytes");
  EXPECT_EQ(parse_tlsa(response("", 0).substr(0, 20)).message(),
            "DNS response truncated in question 1");
}

// record() with the TTL `ttl` (its bytes 6 to 9).
std::string with_ttl(std::string r, std::uint32_t ttl) {
  for (int i = 0; i < 4; ++i) r[6 + i] = static_cast<char>(ttl >> (24 - 8 * i));
  return r;
}

// A negative response: no answer, an SOA in the authority section.
std::string negative(std::uint32_t soa_ttl, std::uint32_t minimum) {
  std::string rdata = "\x02ns\xc0\x0c\x04host\xc0\x0c"s + std::string(16, '\x01');
  for (int i = 0; i < 4; ++i) rdata += static_cast<char>(minimum >> (24 - 8 * i));
  std::string m = response(with_ttl(record(rdata, 6), soa_ttl), 0);
  m[9] = 1;  // NSCOUNT
  return m;
}

TEST(DnsAnswer, CacheTtlIsTheLowestOfTheAnswers) {
  auto m = response(with_ttl(record("\x03\x01\x01\xaa"s), 300) +
                        with_ttl(record("\x03\x01\x01\xbb"s), 120),
                    2);
  EXPECT_EQ(cache_ttl(m), 120u);
  EXPECT_EQ(cache_ttl(response(with_ttl(record("\x03\x01\x01\xaa"s), 0x80000001u), 1)), 0u);
}

TEST(DnsAnswer, NegativeAnswersLiveAsTheirSoaSays) {
  EXPECT_EQ(cache_ttl(negative(3600, 900)), 900u);
  EXPECT_EQ(cache_ttl(negative(60, 900)), 60u);
  EXPECT_EQ(cache_ttl(response("", 0)), 0u);  // no SOA: not to be kept
  auto broken = negative(3600, 900);
  EXPECT_EQ(cache_ttl(broken.substr(0, broken.size() - 2)), 0u);
  EXPECT_EQ(cache_ttl("\x12\x34"), 0u);
}

TEST(DnsAnswer, RefusesPointersOutsideTheMessage) {
  auto m = response("\xc0\xff" + record("\x03\x01\x01\xaa"s).substr(2), 1);
  EXPECT_EQ(parse_tlsa(m).message(), "DNS response truncated in answer 1");
}

}  // namespace
}  // namespace appliance::dns
