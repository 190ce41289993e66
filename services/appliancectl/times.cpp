// NAME
//   times.cpp - UTC times printed and dates read.
#include "appliancectl/times.h"

#include <fmt/format.h>

#include <cstdio>
#include <ctime>

namespace appliance::ctl {

std::string utc_time(std::optional<std::int64_t> unix_seconds) {
  if (!unix_seconds) return "-";
  std::time_t t = static_cast<std::time_t>(*unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%d %H:%M", &tm);
  return out;
}

Result<std::int64_t> end_of_day(const std::string& text) {
  std::tm tm{};
  char rest = 0;
  if (text.size() != 10 ||
      std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &rest) != 3)
    return make_error(fmt::format("\"{}\" is not a date (like 2027-01-31)", text));
  int year = tm.tm_year, month = tm.tm_mon, day = tm.tm_mday;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::time_t start = timegm(&tm);
  // timegm normalises 2027-02-30 to March: such a date does not exist.
  if (tm.tm_year != year - 1900 || tm.tm_mon != month - 1 || tm.tm_mday != day)
    return make_error(fmt::format("\"{}\" is not a date (like 2027-01-31)", text));
  return static_cast<std::int64_t>(start) + 86400;
}

}  // namespace appliance::ctl
