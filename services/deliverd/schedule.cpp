// NAME
//   schedule.cpp - exponential back-off with a cap.
#include "deliverd/schedule.h"

#include <algorithm>

namespace appliance::deliverd {

std::int64_t Schedule::next(std::uint32_t attempts, std::int64_t now) const {
  std::int64_t delay = first;
  for (std::uint32_t i = 1; i < attempts && delay < longest; ++i) delay *= 2;
  return now + std::min(delay, longest);
}

}  // namespace appliance::deliverd
