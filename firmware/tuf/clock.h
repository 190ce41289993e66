// NAME
//   clock.h - where the fixed update start time comes from.
//
// DESCRIPTION
//   The updater reads the clock once at the start of each refresh and judges
//   every expiry against that instant (specification 5.1). SystemClock reads
//   the C library's time(); tests use a fixed clock.
#pragma once

#include <cstdint>

namespace appliance::tuf {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t now() const = 0;  // seconds since the epoch, UTC
};

class SystemClock : public Clock {
 public:
  std::int64_t now() const override;
};

class FixedClock : public Clock {
 public:
  explicit FixedClock(std::int64_t t) : t_(t) {}
  std::int64_t now() const override { return t_; }
  void set(std::int64_t t) { t_ = t; }

 private:
  std::int64_t t_;
};

}  // namespace appliance::tuf
