// NAME
//   cidr.h - IPv4 and IPv6 addresses and networks, parsed strictly and matched.
//
// DESCRIPTION
//   parse_ip() reads an address in the usual text form; an IPv4-mapped IPv6
//   address (::ffff:192.0.2.1) is the IPv4 address, so a dual-stack socket
//   matches IPv4 networks. parse_cidr() reads "address/prefix", or a bare
//   address as a single host; a network with bits set past its prefix
//   ("192.0.2.1/24") is refused, since it is most likely a mistake.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace appliance::auth {

struct IpAddress {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  // IPv4 uses the first 4
  int bits() const { return v6 ? 128 : 32; }
  bool operator==(const IpAddress&) const = default;
};

Result<IpAddress> parse_ip(std::string_view text);
std::string to_string(const IpAddress& address);
// The address with every bit past `prefix` cleared.
IpAddress masked(const IpAddress& address, int prefix);

struct Cidr {
  IpAddress base;
  int prefix = 0;
  bool contains(const IpAddress& address) const;
  bool operator==(const Cidr&) const = default;
};

Result<Cidr> parse_cidr(std::string_view text);
std::string to_string(const Cidr& cidr);

}  // namespace appliance::auth
