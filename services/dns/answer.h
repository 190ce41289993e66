// NAME
//   answer.h - reading the answer section of a DNS response (RFC 1035 4.1).
//
// DESCRIPTION
//   parse_tlsa() takes a whole response message and returns the TLSA records
//   (type 52) of its answer section; c-ares parses the other types itself.
//   cache_ttl() says how long an answer may be kept: the lowest TTL of its
//   answer records and, for a negative answer, of the SOA in its authority
//   section (RFC 2308 5); 0 when there is neither, or the message is broken.
//   Pure: no I/O; names are skipped, compression pointers followed only to
//   check them, and every length is checked against the message, so a
//   malformed or hostile response is an error, never a crash.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "dns/resolver.h"

namespace appliance::dns {

constexpr std::uint16_t kTypeTlsa = 52;

Result<std::vector<Tlsa>> parse_tlsa(std::string_view message);

// Seconds; 0: not to be kept.
std::uint32_t cache_ttl(std::string_view message);

}  // namespace appliance::dns
