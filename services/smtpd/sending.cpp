// NAME
//   sending.cpp - sending limits and the burst hold, from an account's hours.
#include "smtpd/sending.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace appliance::smtpd {
namespace {

constexpr std::int64_t kUsualHours = 7 * 24;

}  // namespace

std::int64_t sending_since(std::int64_t now) {
  return now / 3600 - kUsualHours;
}

SendingState sending_state(const std::vector<store::SendingHour>& hours, std::int64_t now) {
  const std::int64_t current = now / 3600;
  SendingState s;
  std::uint64_t before = 0;
  for (const auto& h : hours) {
    if (h.hour == current) s.hour_messages += h.messages, s.hour_recipients += h.recipients;
    if (h.hour > current - 24 && h.hour <= current) s.day_recipients += h.recipients;
    if (h.hour >= current - kUsualHours && h.hour < current) before += h.messages;
  }
  s.usual_messages = static_cast<double>(before) / kUsualHours;
  return s;
}

std::optional<smtp::Reply> over_limit(const SendingLimits& limits, const SendingState& state,
                                      std::uint64_t accepted) {
  if (limits.per_hour && state.hour_recipients + accepted + 1 > limits.per_hour)
    return smtp::make_reply(
        451, "4.7.1",
        fmt::format("Sending limit of {} recipients an hour reached, try later", limits.per_hour));
  if (limits.per_day && state.day_recipients + accepted + 1 > limits.per_day)
    return smtp::make_reply(
        451, "4.7.1",
        fmt::format("Sending limit of {} recipients a day reached, try later", limits.per_day));
  return std::nullopt;
}

std::uint64_t burst_threshold(const SendingLimits& limits, const SendingState& state) {
  auto usual = static_cast<std::uint64_t>(
      std::ceil(static_cast<double>(limits.burst_factor) * state.usual_messages));
  return std::max(limits.burst_floor, usual);
}

bool holds(const SendingLimits& limits, const SendingState& state) {
  return limits.burst_factor > 0 && state.hour_messages + 1 > burst_threshold(limits, state);
}

bool first_held(const SendingLimits& limits, const SendingState& state) {
  return holds(limits, state) && state.hour_messages == burst_threshold(limits, state);
}

}  // namespace appliance::smtpd
