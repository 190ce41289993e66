// NAME
//   destinations.h - where mail for a domain goes (RFC 5321 5.1).
//
// DESCRIPTION
//   A route ([deliverd] routes) wins; else the domain's MX records, lowest
//   preference first, each host's addresses (AAAA, then A). A domain
//   without MX records (NODATA) is its own mail host (the "implicit MX");
//   a null MX (RFC 7505, a single MX of ".") and a domain that does not
//   exist are permanent failures; a DNS failure that may pass is temporary.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "deliverd/routes.h"
#include "dns/resolver.h"

namespace appliance::deliverd {

struct Host {
  std::string name;
  std::vector<std::string> addresses;
  std::uint16_t port = 25;
  bool authenticated = false;  // the address answers were DNSSEC-validated (AD)
  std::string canonical;       // "" or, for an alias, the end of its CNAME chain
};

struct Destinations {
  enum class Kind { found, permanent, temporary } kind = Kind::temporary;
  std::vector<Host> hosts;  // in the order to try
  std::string why;          // when none was found
  bool routed = false;             // a route's host, not the domain's MX: no DANE or MTA-STS
  bool mx_authenticated = false;   // the MX answer (or its NODATA) was DNSSEC-validated
  std::string domain;              // the next-hop domain the hosts were found for
};

Destinations find_destinations(dns::Resolver& resolver, const Routes& routes, std::uint16_t port,
                               const std::string& domain);

}  // namespace appliance::deliverd
