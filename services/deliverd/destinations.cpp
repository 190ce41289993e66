// NAME
//   destinations.cpp - routes, MX records, the implicit MX, null MX.
#include "deliverd/destinations.h"

#include <arpa/inet.h>
#include <fmt/format.h>

namespace appliance::deliverd {
namespace {

using Kind = Destinations::Kind;

bool is_address(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

Destinations failed(Kind kind, std::string why) {
  return {kind, {}, std::move(why)};
}

// The hosts' addresses; hosts without any are left out.
Destinations resolve_hosts(dns::Resolver& resolver, const std::vector<std::string>& names,
                           std::uint16_t port) {
  Destinations out{Kind::found, {}, {}};
  bool temporary = false;
  std::string last;
  for (const auto& name : names) {
    if (is_address(name)) {
      out.hosts.push_back({name, {name}, port});
      continue;
    }
    auto a = resolver.addresses(name);
    if (a.ok()) {
      out.hosts.push_back({name, a.records, port, a.authenticated, a.canonical});
      continue;
    }
    temporary = temporary || a.temporary();
    last = a.message;
  }
  if (!out.hosts.empty()) return out;
  return failed(temporary ? Kind::temporary : Kind::permanent,
                fmt::format("no address for the mail hosts: {}", last));
}

Destinations lookup(dns::Resolver& resolver, const Routes& routes, std::uint16_t port,
                    const std::string& domain) {
  if (auto route = routes.find(domain)) {
    auto out = resolve_hosts(resolver, {route->host}, route->port);
    out.routed = true;
    return out;
  }
  auto mx = resolver.mx(domain);
  if (mx.temporary()) return failed(Kind::temporary, mx.message);
  if (mx.outcome == dns::Outcome::kNoDomain)
    return failed(Kind::permanent, fmt::format("domain {} does not exist", domain));
  if (mx.outcome == dns::Outcome::kNoData) {
    auto out = resolve_hosts(resolver, {domain}, port);
    out.mx_authenticated = mx.authenticated;
    return out;
  }
  if (mx.records.size() == 1 && mx.records[0].host.empty())
    return failed(Kind::permanent, fmt::format("domain {} accepts no mail (null MX)", domain));
  std::vector<std::string> names;
  for (const auto& r : mx.records)
    if (!r.host.empty()) names.push_back(r.host);
  auto out = resolve_hosts(resolver, names, port);
  out.mx_authenticated = mx.authenticated;
  return out;
}

}  // namespace

Destinations find_destinations(dns::Resolver& resolver, const Routes& routes, std::uint16_t port,
                               const std::string& domain) {
  Destinations out = lookup(resolver, routes, port, domain);
  out.domain = domain;
  return out;
}

}  // namespace appliance::deliverd
