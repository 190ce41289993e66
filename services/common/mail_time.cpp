// NAME
//   mail_time.cpp - RFC 5322 date-times.
#include "common/mail_time.h"

#include <fmt/format.h>

#include <ctime>

namespace appliance {

std::string rfc5322_date(std::int64_t unix_seconds) {
  static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t when = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&when, &tm);
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", days[tm.tm_wday], tm.tm_mday,
                     months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace appliance
