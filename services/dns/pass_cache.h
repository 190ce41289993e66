// NAME
//   pass_cache.h - one MX and address answer per name for a queue pass.
//
// DESCRIPTION
//   PassCache wraps a Resolver and keeps each answer it gets (a failure
//   included): MX and addresses, and the TXT (_mta-sts) and TLSA records of
//   the TLS policy, so a queue pass with many entries for one domain asks
//   the DNS once, not once per entry. It lives for one pass (deliverd's
//   QueueRunner::run_once), short against the TTLs that matter, and one
//   thread uses it: no lock.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "dns/resolver.h"

namespace appliance::dns {

class PassCache final : public Resolver {
 public:
  explicit PassCache(Resolver& resolver) : resolver_(resolver) {}

  Lookup<Mx> mx(std::string_view domain) override {
    return remembered(mx_, domain, [&] { return resolver_.mx(domain); });
  }
  Lookup<std::string> addresses(std::string_view host) override {
    return remembered(addresses_, host, [&] { return resolver_.addresses(host); });
  }
  Lookup<std::string> txt(std::string_view name) override {
    return remembered(txt_, name, [&] { return resolver_.txt(name); });
  }
  Lookup<Tlsa> tlsa(std::string_view name) override {
    return remembered(tlsa_, name, [&] { return resolver_.tlsa(name); });
  }

 private:
  template <class T, class Ask>
  static Lookup<T> remembered(std::map<std::string, Lookup<T>, std::less<>>& seen,
                              std::string_view name, const Ask& ask) {
    auto it = seen.find(name);
    if (it == seen.end()) it = seen.emplace(std::string(name), ask()).first;
    return it->second;
  }

  Resolver& resolver_;
  std::map<std::string, Lookup<Mx>, std::less<>> mx_;
  std::map<std::string, Lookup<std::string>, std::less<>> addresses_, txt_;
  std::map<std::string, Lookup<Tlsa>, std::less<>> tlsa_;
};

}  // namespace appliance::dns
