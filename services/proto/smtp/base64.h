// NAME
//   base64.h - strict base64 (RFC 4648 4) for SASL exchanges.
//
// DESCRIPTION
//   decode() accepts only canonical base64: a multiple of four characters,
//   padding only at the end, no spaces, no unused bits set. Anything else is
//   nullopt, so two spellings of one credential cannot exist.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace appliance::smtp::base64 {

std::optional<std::string> decode(std::string_view text);
std::string encode(std::string_view bytes);

}  // namespace appliance::smtp::base64
