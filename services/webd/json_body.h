// NAME
//   json_body.h - a REST API request body read as JSON, with limits.
//
// DESCRIPTION
//   parse_json_body() accepts a JSON object of at most 64 KiB, nested at
//   most 16 levels, and answers a precise error otherwise: empty, too big,
//   too deep, not an object, or the parser's own message (position and
//   what it expected). Pure: no I/O; fuzzed by webd_json_fuzz.
//
//   The field readers answer an error naming the field when it is missing
//   or of the wrong type, so a handler can refuse with 400 in one line.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace appliance::webd {

inline constexpr std::size_t kMaxJsonBody = 64 * 1024;
inline constexpr std::size_t kMaxJsonDepth = 16;

Result<nlohmann::json> parse_json_body(std::string_view body);

// A string field of at most `max` bytes; required unless `optional`.
Result<std::string> string_field(const nlohmann::json& body, const char* name, std::size_t max,
                                 bool optional = false);
// An integer field, or nothing when absent or null.
Result<std::optional<std::int64_t>> integer_field(const nlohmann::json& body, const char* name);

}  // namespace appliance::webd
