// NAME
//   clock.h - the time source of the auth pieces, injected so tests never sleep.
//
// DESCRIPTION
//   Caches and throttles measure intervals with a monotonic clock; TOTP needs
//   Unix time. Both come through this interface: daemons use SystemClock,
//   tests a ManualClock they move by hand.
#pragma once

#include <chrono>
#include <cstdint>

namespace appliance::auth {

using Instant = std::chrono::steady_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() const = 0;
  // Seconds since the Unix epoch, for TOTP and event times.
  virtual std::int64_t unix_seconds() const = 0;
};

class SystemClock final : public Clock {
 public:
  Instant now() const override { return std::chrono::steady_clock::now(); }
  std::int64_t unix_seconds() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

class ManualClock final : public Clock {
 public:
  Instant now() const override { return now_; }
  std::int64_t unix_seconds() const override { return unix_; }
  void advance(std::chrono::milliseconds d) {
    now_ += d;
    unix_ += std::chrono::duration_cast<std::chrono::seconds>(d).count();
  }
  void set_unix(std::int64_t s) { unix_ = s; }

 private:
  Instant now_{};
  std::int64_t unix_ = 1'700'000'000;
};

// Unix seconds `days` days before the clock's now: the one cut-off of the
// retention limits (auth/retention.h) and of the purge commands.
inline std::int64_t days_ago(const Clock& clock, int days) {
  return clock.unix_seconds() - std::int64_t{days} * 86400;
}

}  // namespace appliance::auth
