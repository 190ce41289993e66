// NAME
//   macro.h - SPF macro strings (RFC 7208 7): checked and expanded.
//
// DESCRIPTION
//   check_macro_string() accepts "%{" letter [digits] ["r"] [delimiters] "}",
//   "%%", "%_" and "%-" and visible characters; a domain-spec must also not
//   end in a bare macro-literal dot run only. expand() fills the macros from
//   the check's context: s l o d i p v h (c r t only in explanations, not
//   supported here: refused). "p" expands to "unknown": this appliance does
//   not validate PTR names. Pure.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "proto/spf/record.h"

namespace appliance::spf {

struct MacroContext {
  std::string sender;  // local@domain
  std::string domain;  // the current domain
  Address ip;
  std::string helo;
};

Result<void> check_macro_string(std::string_view text, bool domain_spec);
Result<std::string> expand(std::string_view text, const MacroContext& c);

}  // namespace appliance::spf
