// NAME
//   dates.cpp - civil dates to days since 1970 and back (proleptic Gregorian).
#include "imapd/dates.h"

namespace appliance::imapd {

namespace {

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  auto yoe = static_cast<unsigned>(y - era * 400);
  unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

std::int64_t unix_day(const imap::Date& d) {
  return days_from_civil(d.year, static_cast<unsigned>(d.month), static_cast<unsigned>(d.day)) *
         86400;
}

std::int64_t unix_time(const imap::DateTime& t) {
  return unix_day(t.date) + t.hour * 3600 + t.minute * 60 + t.second - t.zone_minutes * 60;
}

imap::DateTime date_time(std::int64_t s) {
  std::int64_t z = (s >= 0 ? s : s - 86399) / 86400 + 719468;
  std::int64_t rem = s - (z - 719468) * 86400;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  auto doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  imap::DateTime out;
  out.date = {static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
  out.hour = static_cast<int>(rem / 3600);
  out.minute = static_cast<int>(rem % 3600 / 60);
  out.second = static_cast<int>(rem % 60);
  return out;
}

}  // namespace appliance::imapd
