// NAME
//   schedule.h - when to try a queued message again, and when to give up.
//
// DESCRIPTION
//   Exponential back-off: the first retry `first` after a failed attempt,
//   each later one twice the one before, never more than `longest` apart;
//   after `lifetime` from queueing, what is still pending bounces (RFC 5321
//   4.5.4.1: give up after 4-5 days). After `delay_notice` (0: never) a
//   message still pending gets one delay notice (RFC 3464 Action: delayed),
//   so its sender knows it is late but need not send it again. Pure.
#pragma once

#include <cstdint>

namespace appliance::deliverd {

struct Schedule {
  std::int64_t first = 300;           // 5 minutes
  std::int64_t longest = 14400;       // 4 hours
  std::int64_t lifetime = 432000;     // 5 days
  std::int64_t delay_notice = 14400;  // 4 hours

  // The time of the next attempt after `attempts` failed ones (1 or more), made at `now`.
  std::int64_t next(std::uint32_t attempts, std::int64_t now) const;
  bool expired(std::int64_t created, std::int64_t now) const { return now - created >= lifetime; }
  bool late(std::int64_t created, std::int64_t now) const {
    return delay_notice > 0 && now - created >= delay_notice;
  }
};

}  // namespace appliance::deliverd
