// NAME
//   cares_resolver.h - the Resolver over c-ares.
//
// DESCRIPTION
//   Each lookup takes a c-ares channel of its own from a pool (opened when
//   none is idle, closed after a number of questions) and waits for its
//   answer with poll(), so a CaresResolver may be used from several threads
//   at once. Every answer carries its TTL (resolver.h). The servers are
//   configuration:
//
//     [dns]
//     servers = 127.0.0.1:5353, [::1]:53
//     timeout = 3000        # milliseconds per try
//     tries = 2
//
//   Without `servers`, those of /etc/resolv.conf. Tests point `servers` at a
//   DNS server of their own (dnsmasq).
#pragma once

#include <memory>
#include <string>

#include "common/config.h"
#include "common/result.h"
#include "dns/resolver.h"

namespace appliance::dns {

struct Options {
  std::string servers;  // "host:port,..." in c-ares' form; empty: resolv.conf
  int timeout_ms = 3000;
  int tries = 2;
};

// Reads the [dns] section (absent: the defaults).
Result<Options> read_options(const config::Document& doc);

class CaresResolver : public Resolver {
 public:
  // Fails when c-ares cannot start or the servers are not addresses.
  static Result<std::unique_ptr<CaresResolver>> create(Options options);

  Lookup<Mx> mx(std::string_view domain) override;
  Lookup<std::string> addresses(std::string_view host) override;
  Lookup<std::string> txt(std::string_view name) override;
  Lookup<Tlsa> tlsa(std::string_view name) override;

  ~CaresResolver() override;
  class Channels;

 private:
  explicit CaresResolver(Options options);
  std::unique_ptr<Channels> channels_;
};

}  // namespace appliance::dns
