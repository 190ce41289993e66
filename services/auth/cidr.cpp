// NAME
//   cidr.cpp - address parsing through inet_pton, prefix masks, matching.
#include "auth/cidr.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <cstring>

namespace appliance::auth {

Result<IpAddress> parse_ip(std::string_view text) {
  if (text.empty() || text.size() > INET6_ADDRSTRLEN)
    return make_error("not an IP address (wrong length)");
  std::string s(text);  // inet_pton wants a terminated string
  IpAddress a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) return a;
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1)
    return make_error(fmt::format("not an IP address: {}", text));
  static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(a.bytes.data(), kMapped, 12) == 0) {
    std::memmove(a.bytes.data(), a.bytes.data() + 12, 4);
    std::memset(a.bytes.data() + 4, 0, 12);
    return a;
  }
  a.v6 = true;
  return a;
}

std::string to_string(const IpAddress& a) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(a.v6 ? AF_INET6 : AF_INET, a.bytes.data(), buf, sizeof buf);
  return buf;
}

IpAddress masked(const IpAddress& a, int prefix) {
  IpAddress out = a;
  for (int i = 0; i < 16; ++i) {
    int keep = std::min(8, std::max(0, prefix - 8 * i));
    out.bytes[i] &= std::uint8_t(0xff00u >> keep);
  }
  return out;
}

bool Cidr::contains(const IpAddress& address) const {
  return address.v6 == base.v6 && masked(address, prefix) == base;
}

Result<Cidr> parse_cidr(std::string_view text) {
  auto slash = text.find('/');
  auto address = parse_ip(text.substr(0, slash));
  if (!address) return address.error();
  Cidr c{*address, address->bits()};
  if (slash != std::string_view::npos) {
    auto digits = text.substr(slash + 1);
    bool numeric = !digits.empty() && digits.size() <= 3 &&
                   digits.find_first_not_of("0123456789") == std::string_view::npos &&
                   (digits.size() == 1 || digits[0] != '0');
    int prefix = 0;
    for (char d : numeric ? digits : std::string_view()) prefix = prefix * 10 + (d - '0');
    if (!numeric || prefix > address->bits())
      return make_error(fmt::format("bad prefix length in {} (0 to {})", text, address->bits()));
    c.prefix = prefix;
  }
  if (!(masked(c.base, c.prefix) == c.base))
    return make_error(fmt::format("{} has host bits set; the network is {}", text,
                                  to_string(Cidr{masked(c.base, c.prefix), c.prefix})));
  return c;
}

std::string to_string(const Cidr& c) {
  return fmt::format("{}/{}", to_string(c.base), c.prefix);
}

}  // namespace appliance::auth
