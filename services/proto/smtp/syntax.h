// NAME
//   syntax.h - small lexical pieces shared by the command parsers.
//
// DESCRIPTION
//   Case-insensitive comparison, bounded decimal numbers, ESMTP parameters
//   (RFC 5321 4.1.2: keyword[=value], separated by spaces) and xtext
//   (RFC 3461 4: "+XX" hex escapes), as used by ENVID, ORCPT and AUTH=.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/common/ascii.h"
#include "proto/smtp/reply.h"

namespace appliance::smtp {

using ascii::iequals;
bool istarts_with(std::string_view text, std::string_view prefix);

// 1 to 20 digits that fit in 64 bits; nothing else.
std::optional<std::uint64_t> parse_decimal(std::string_view digits);

struct Param {
  std::string_view keyword;
  std::optional<std::string_view> value;
};

// Splits "SIZE=10 SMTPUTF8" into parameters; nullopt on bad syntax. Values
// may hold UTF-8 only when utf8 is set (RFC 6531 3.3).
std::optional<std::vector<Param>> split_params(std::string_view text, bool utf8);

// split_params() for MAIL and RCPT, with the replies for bad syntax and for
// a keyword given twice.
Parsed<std::vector<Param>> read_params(std::string_view text);

// read_params(), then apply(out, param) for each, which returns a refusal or
// nullopt; out.count becomes the number of parameters.
template <class Params, class Apply>
std::optional<Reply> apply_params(std::string_view text, Params& out, Apply apply) {
  auto params = read_params(text);
  if (!params) return params.reply();
  for (const auto& param : *params) {
    if (auto refusal = apply(out, param)) return refusal;
  }
  out.count = static_cast<int>(params->size());
  return std::nullopt;
}

// nullopt when the text is not xtext.
std::optional<std::string> decode_xtext(std::string_view text);
// Any bytes as xtext: '+', '=' and bytes outside 33..126 as "+XX".
std::string encode_xtext(std::string_view text);

}  // namespace appliance::smtp
