// NAME
//   canonical_json.h - strict JSON parsing and OLPC canonical JSON encoding.
//
// DESCRIPTION
//   TUF signs the canonical form of the "signed" object (OLPC canonical JSON as
//   securesystemslib writes it): no whitespace, object keys sorted by code
//   point, only '"' and '\' escaped in strings, integers only, no floats.
//
//   parse_json() is the only JSON reader of the library. It refuses what would
//   make a signature ambiguous or the parser costly: duplicate object keys,
//   floating-point numbers, nesting deeper than kMaxJsonDepth, trailing bytes,
//   and invalid UTF-8.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/result.h"

namespace appliance::tuf {

inline constexpr int kMaxJsonDepth = 64;

Result<nlohmann::json> parse_json(std::string_view text);

// The canonical bytes of a value; fails on floats, binary values and on
// nesting deeper than kMaxJsonDepth.
Result<std::string> canonical_json(const nlohmann::json& value);

}  // namespace appliance::tuf
