// NAME
//   policy.h - MTA-STS (RFC 8461): the _mta-sts TXT record, the policy file,
//   the HTTP response that carries it, and MX pattern matching.
//
// DESCRIPTION
//   All pure and strict, for deliverd (deliverd/mta_sts.h) and fuzzing:
//   - parse_record(): "v=STSv1; id=<1-32 letters or digits>" with optional
//     extension fields (RFC 8461 3.1); find_record() picks the one record
//     beginning with "v=STSv1" among a name's TXT records (none or several:
//     no policy).
//   - parse_policy(): "key: value" lines (CRLF, or LF as many publishers
//     write), version STSv1, mode enforce|testing|none, max_age 0..31557600,
//     mx patterns (at least one unless mode none); unknown keys ignored;
//     version, mode and max_age at most once (RFC 8461 3.2).
//   - policy_body(): an HTTP/1.x response read whole: status 200 (a redirect
//     is an error, RFC 8461 3.3), media type text/plain, no chunked coding,
//     the body at most kMaxPolicy bytes and exactly Content-Length when given.
//   - mx_matches(): an MX host against the patterns; "*.example.com" stands
//     for exactly one more leftmost label (RFC 8461 4.1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace appliance::mta_sts {

inline constexpr std::size_t kMaxPolicy = 64 * 1024;
inline constexpr std::int64_t kMaxAge = 31557600;  // one year (RFC 8461 3.2)

enum class Mode { enforce, testing, none };
const char* mode_name(Mode m);

struct Record {
  std::string id;
};

struct Policy {
  Mode mode = Mode::none;
  std::vector<std::string> mx;  // patterns, lower case
  std::int64_t max_age = 0;     // seconds
};

Result<Record> parse_record(std::string_view txt);
// The policy record among a name's TXT records; nullopt when there is none
// or more than one, or it is malformed (RFC 8461 3.1: then no policy).
std::optional<Record> find_record(const std::vector<std::string>& txts);

Result<Policy> parse_policy(std::string_view text);
Result<std::string_view> policy_body(std::string_view response);

bool pattern_matches(std::string_view pattern, std::string_view host);
bool mx_matches(const Policy& p, std::string_view host);

}  // namespace appliance::mta_sts
