// NAME
//   cidr_test.cpp - address and network parsing, matching, masks.
#include "auth/cidr.h"

#include <gtest/gtest.h>

namespace appliance::auth {
namespace {

TEST(Cidr, ParsesBothFamilies) {
  EXPECT_EQ(to_string(*parse_cidr("192.0.2.0/24")), "192.0.2.0/24");
  EXPECT_EQ(to_string(*parse_cidr("2001:DB8::/32")), "2001:db8::/32");
  EXPECT_EQ(to_string(*parse_cidr("198.51.100.7")), "198.51.100.7/32");
  EXPECT_EQ(to_string(*parse_cidr("::1")), "::1/128");
  EXPECT_EQ(to_string(*parse_cidr("0.0.0.0/0")), "0.0.0.0/0");
}

TEST(Cidr, RefusesWhatIsProbablyAMistake) {
  EXPECT_EQ(parse_cidr("192.0.2.1/24").message(),
            "192.0.2.1/24 has host bits set; the network is 192.0.2.0/24");
  EXPECT_EQ(parse_cidr("192.0.2.0/33").message(), "bad prefix length in 192.0.2.0/33 (0 to 32)");
  for (auto bad :
       {"", "/24", "192.0.2.0/", "192.0.2.0/024", "192.0.2.0/-1", "192.0.2.0/2x", "300.0.0.0/8",
        "192.0.2.0/24/1", "192.0.2", "01.2.3.4", "::1/129", "fe80::1%lo", " 192.0.2.0/24"})
    EXPECT_FALSE(parse_cidr(bad)) << bad;
}

TEST(Cidr, Matches) {
  auto net = *parse_cidr("192.0.2.128/25");
  EXPECT_TRUE(net.contains(*parse_ip("192.0.2.200")));
  EXPECT_FALSE(net.contains(*parse_ip("192.0.2.127")));
  EXPECT_TRUE(net.contains(*parse_ip("::ffff:192.0.2.129")));  // mapped: the IPv4 address
  auto net6 = *parse_cidr("2001:db8:abcc::/47");
  EXPECT_TRUE(net6.contains(*parse_ip("2001:db8:abcd:1::1")));
  EXPECT_FALSE(net6.contains(*parse_ip("2001:db8:abce::1")));
  EXPECT_FALSE(net6.contains(*parse_ip("192.0.2.1")));
  EXPECT_TRUE(parse_cidr("::/0")->contains(*parse_ip("2001:db8::1")));
  EXPECT_FALSE(parse_cidr("::/0")->contains(*parse_ip("192.0.2.1")));  // families stay apart
}

TEST(Cidr, Masks) {
  EXPECT_EQ(to_string(masked(*parse_ip("2001:db8:1:2:3:4:5:6"), 64)), "2001:db8:1:2::");
  EXPECT_EQ(to_string(masked(*parse_ip("192.0.2.255"), 20)), "192.0.0.0");
}

}  // namespace
}  // namespace appliance::auth
