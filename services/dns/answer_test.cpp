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

TEST(DnsAnswer, RefusesPointersOutsideTheMessage) {
  auto m = response("\xc0\xff" + record("\x03\x01\x01\xaa"s).substr(2), 1);
  EXPECT_EQ(parse_tlsa(m).message(), "DNS response truncated in answer 1");
}

}  // namespace
}  // namespace appliance::dns
