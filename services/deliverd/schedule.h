// NAME
//   schedule.h - when to try a queued message again, and when to give up.
//
// DESCRIPTION
//   Exponential back-off: the first retry `first` after a failed attempt,
//   each later one twice the one before, never more than `longest` apart;
//   after `lifetime` from queueing, what is still pending bounces (RFC 5321
//   4.5.4.1: give up after 4-5 days). Pure.
#pragma once

#include <cstdint>

namespace appliance::deliverd {

struct Schedule {
  std::int64_t first = 300;        // 5 minutes
  std::int64_t longest = 14400;    // 4 hours
  std::int64_t lifetime = 432000;  // 5 days

  // The time of the next attempt after `attempts` failed ones (1 or more), made at `now`.
  std::int64_t next(std::uint32_t attempts, std::int64_t now) const;
  bool expired(std::int64_t created, std::int64_t now) const { return now - created >= lifetime; }
};

}  // namespace appliance::deliverd
