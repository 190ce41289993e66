// NAME
//   throttle.h - slowing down password guessing, per account and per source.
//
// DESCRIPTION
//   Failed logins are counted per account and per source address (an IPv6
//   source by its /64, which one host usually owns whole). Counts decay by
//   half every `half_life`. Past `free_failures`, each failure blocks further
//   attempts for a delay that doubles with every failure, up to `max_delay`.
//   An account that reaches `lock_threshold` is locked for `lock_duration`
//   (the caller sends the owner a notice when failure() says so).
//
//   A stranger cannot lock an owner out for good: a lock ends on its own, and
//   a source from which the account logged in successfully within
//   `trusted_for` is not held by the account's counters, only by its own.
//
//   Every table is bounded (least recently used entries go first), so
//   memory does not grow with the number of addresses an attacker uses. Time
//   comes from the injected clock.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>

#include "auth/cidr.h"
#include "auth/clock.h"
#include "auth/lru.h"

namespace appliance::auth {

struct ThrottleRules {
  double free_failures = 3;
  std::chrono::seconds base_delay{1};
  std::chrono::seconds max_delay{300};
  double lock_threshold = 20;
  std::chrono::seconds lock_duration{900};
  std::chrono::seconds half_life{900};
  std::chrono::seconds trusted_for{std::chrono::hours(24 * 30)};
  std::size_t max_entries = 100000;  // per table
};

struct ThrottleDecision {
  bool allowed = true;
  std::chrono::seconds retry_after{0};
  std::string reason;  // why not, for the login log
};

class Throttle {
 public:
  explicit Throttle(const Clock& clock, ThrottleRules rules = {});

  ThrottleDecision check(std::string_view account, const IpAddress& source);
  // True when this failure locked the account (time to send a notice).
  bool failure(std::string_view account, const IpAddress& source);
  void success(std::string_view account, const IpAddress& source);
  // How many counters are held, all tables together.
  std::size_t tracked();

  // The key a source is counted under: the address, or its /64.
  static std::string source_key(const IpAddress& source);

 private:
  struct Counter {
    double failures = 0;
    Instant updated{};
    Instant blocked_until{};
  };
  void decay(Counter& c, Instant now) const;
  // Adds a failure; returns whether it reached the lock threshold.
  bool add_failure(Counter& c, Instant now, bool can_lock) const;
  bool trusted(std::string_view account, const IpAddress& source, Instant now);

  const Clock& clock_;
  ThrottleRules rules_;
  std::mutex mutex_;
  LruMap<Counter> accounts_;
  LruMap<Counter> sources_;
  LruMap<Instant> trusted_;  // account + source key -> last success
};

}  // namespace appliance::auth
