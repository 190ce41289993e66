// NAME
//   ttl_cache.h - answers kept for their TTL, for the checks of inbound mail.
//
// DESCRIPTION
//   TtlCache wraps a Resolver and keeps every answer and every permanent
//   failure (NXDOMAIN, NODATA) as long as its TTL says (Lookup::ttl, at most
//   max_ttl), as a caching resolver would: the SPF, DKIM and DMARC checks of
//   mail from one sender domain ask the same few names for every message.
//   Temporary failures and answers with a TTL of 0 are not kept. Names are
//   compared without case (RFC 4343). At most max_entries are kept: when
//   full, the expired go first, and while the cache is full of live answers
//   new ones are not kept. Thread-safe: smtpd's workers share one.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>

#include "dns/resolver.h"

namespace appliance::dns {

struct CacheLimits {
  std::chrono::seconds max_ttl{3600};
  std::size_t max_entries = 10000;
};

class TtlCache final : public Resolver {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  explicit TtlCache(Resolver& resolver, CacheLimits limits = {},
                    Clock clock = std::chrono::steady_clock::now)
      : resolver_(resolver), limits_(limits), clock_(std::move(clock)) {}

  Lookup<Mx> mx(std::string_view domain) override;
  Lookup<std::string> addresses(std::string_view host) override;
  Lookup<std::string> txt(std::string_view name) override;
  Lookup<Tlsa> tlsa(std::string_view name) override;

  std::size_t size() const;

 private:
  using Kept = std::variant<Lookup<Mx>, Lookup<std::string>, Lookup<Tlsa>>;
  struct Entry {
    std::chrono::steady_clock::time_point expires;
    Kept lookup;
  };

  template <class T>
  Lookup<T> cached(char type, std::string_view name, const std::function<Lookup<T>()>& ask);
  void keep(std::string key, Entry entry);

  Resolver& resolver_;
  const CacheLimits limits_;
  const Clock clock_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> entries_;  // type letter, then the lowered name
};

}  // namespace appliance::dns
