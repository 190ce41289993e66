// NAME
//   times.h - times as appliancectl prints and reads them: UTC, to the minute.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"

namespace appliance::ctl {

// "2026-11-23 02:11" (UTC); "-" for none.
std::string utc_time(std::optional<std::int64_t> unix_seconds);
// "YYYY-MM-DD" -> the Unix time at which that day (UTC) ends.
Result<std::int64_t> end_of_day(const std::string& text);

}  // namespace appliance::ctl
