// NAME
//   datetime.h - the metadata date-time form "YYYY-MM-DDTHH:MM:SSZ".
//
// DESCRIPTION
//   Pure conversions between that exact form (UTC, no fractions, no offsets)
//   and seconds since the Unix epoch; no time zone database involved.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace appliance::tuf {

Result<std::int64_t> parse_datetime(std::string_view text);
std::string format_datetime(std::int64_t seconds);

}  // namespace appliance::tuf
