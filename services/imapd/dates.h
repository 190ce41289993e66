// NAME
//   dates.h - IMAP dates and unix seconds.
#pragma once

#include <cstdint>

#include "proto/imap/syntax.h"

namespace appliance::imapd {

std::int64_t unix_time(const imap::DateTime& t);
std::int64_t unix_day(const imap::Date& d);           // midnight UTC of the day
imap::DateTime date_time(std::int64_t unix_seconds);  // UTC

}  // namespace appliance::imapd
