// NAME
//   clock.cpp - the system clock.
#include "tuf/clock.h"

#include <ctime>

namespace appliance::tuf {

std::int64_t SystemClock::now() const {
  return static_cast<std::int64_t>(std::time(nullptr));
}

}  // namespace appliance::tuf
