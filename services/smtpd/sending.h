// NAME
//   sending.h - how much an account may send to other domains, and when a
//   burst holds its mail.
//
// DESCRIPTION
//   Submissions to other domains are counted per account and clock hour as
//   they are queued (store/queue.h, SendingHour). At an account's first
//   remote recipient of a message smtpd reads its hours and makes a
//   SendingState; from it, on the strand and without I/O:
//     - over_limit(): more recipients in this clock hour, or in the last 24
//       hours, than the limits allow: the recipient is refused with 451
//       4.7.1, to be tried later (a person sending too much waits; a
//       stolen account is slowed down);
//     - holds(): the account's messages in this hour, with this one, above
//       `burst_factor` times its usual hourly volume (the mean over the seven
//       days before this hour) and above `burst_floor`: the message is
//       accepted but queued on hold, for an administrator to release or
//       delete (appliancectl queue), and a security event says so once per
//       burst (first_held()). A sudden burst far above the normal is what a
//       stolen account sending spam looks like.
//   Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "proto/smtp/reply.h"
#include "store/queue.h"

namespace appliance::smtpd {

struct SendingLimits {
  std::uint64_t per_hour = 500;     // recipients in a clock hour; 0: no limit
  std::uint64_t per_day = 2000;     // recipients in the last 24 hours; 0: no limit
  std::uint64_t burst_factor = 10;  // 0: never hold
  std::uint64_t burst_floor = 100;  // messages in an hour below which nothing is held
};

struct SendingState {
  std::uint64_t hour_messages = 0, hour_recipients = 0;  // this clock hour
  std::uint64_t day_recipients = 0;                      // this hour and the 23 before
  double usual_messages = 0;  // per hour, the mean over the 168 hours before this one
};

SendingState sending_state(const std::vector<store::SendingHour>& hours, std::int64_t now);
// The first hour whose counts sending_state() reads.
std::int64_t sending_since(std::int64_t now);

// The refusal of one more recipient when `accepted` remote recipients of
// this message are already counted in; nothing when it may go.
std::optional<smtp::Reply> over_limit(const SendingLimits& limits, const SendingState& state,
                                      std::uint64_t accepted);
// Messages in an hour beyond which the account's mail is held.
std::uint64_t burst_threshold(const SendingLimits& limits, const SendingState& state);
// Whether the next message is held.
bool holds(const SendingLimits& limits, const SendingState& state);
// Whether it is the first held message of this burst (the one to report).
bool first_held(const SendingLimits& limits, const SendingState& state);

}  // namespace appliance::smtpd
