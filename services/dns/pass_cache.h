// NAME
//   pass_cache.h - one MX and address answer per name for a queue pass.
//
// DESCRIPTION
//   PassCache wraps a Resolver and keeps each answer it gets (a failure
//   included): MX and addresses, and the TXT (_mta-sts) and TLSA records of
//   the TLS policy, so a queue pass with many entries for one domain asks
//   the DNS once, not once per entry. It lives for one pass (deliverd's
//   QueueRunner::run_once), short against the TTLs that matter. The pass's
//   lanes share it; no lock is held while a question is out, so two lanes
//   may ask the same name at once, and the first answer is kept.
#pragma once

#include <map>
#include <mutex>
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
  Lookup<T> remembered(std::map<std::string, Lookup<T>, std::less<>>& seen, std::string_view name,
                       const Ask& ask) {
    {
      std::lock_guard lock(mutex_);
      if (auto it = seen.find(name); it != seen.end()) return it->second;
    }
    Lookup<T> answer = ask();
    std::lock_guard lock(mutex_);
    return seen.emplace(std::string(name), std::move(answer)).first->second;
  }

  Resolver& resolver_;
  std::mutex mutex_;  // for the maps
  std::map<std::string, Lookup<Mx>, std::less<>> mx_;
  std::map<std::string, Lookup<std::string>, std::less<>> addresses_, txt_;
  std::map<std::string, Lookup<Tlsa>, std::less<>> tlsa_;
};

}  // namespace appliance::dns
