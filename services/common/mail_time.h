// NAME
//   mail_time.h - the date-time of mail headers (RFC 5322 section 3.3).
#pragma once

#include <cstdint>
#include <string>

namespace appliance {

// In UTC: "Mon, 23 Nov 2026 01:30:00 +0000". Day and month names come from
// tables, not strftime: the process's locale must not change a header.
std::string rfc5322_date(std::int64_t unix_seconds);

}  // namespace appliance
