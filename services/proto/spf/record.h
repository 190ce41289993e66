// NAME
//   record.h - an SPF record (RFC 7208 4.5, 12), parsed.
//
// DESCRIPTION
//   parse_record() reads one TXT record that starts with "v=spf1": terms
//   separated by spaces; mechanisms all, include, a, mx, ptr, ip4, ip6,
//   exists with an optional qualifier (+ - ~ ?), each with its domain-spec,
//   network or CIDR lengths checked; modifiers redirect= and exp= once each,
//   unknown modifiers kept but not used. Anything else is a syntax error
//   (permerror), with a message naming the term. is_spf() tells SPF records
//   from other TXT records. Pure.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace appliance::spf {

enum class Qualifier : char { pass = '+', fail = '-', softfail = '~', neutral = '?' };
enum class Kind { all, include, a, mx, ptr, ip4, ip6, exists };

struct Address {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  // IPv4 in the first 4
};
std::optional<Address> parse_address(std::string_view text);
bool in_network(const Address& ip, const Address& network, int prefix);

struct Mechanism {
  Qualifier qualifier = Qualifier::pass;
  Kind kind = Kind::all;
  std::string domain;  // a macro-string; empty: the current domain
  Address network;     // ip4, ip6
  int cidr4 = 32, cidr6 = 128;
};

struct Record {
  std::vector<Mechanism> mechanisms;
  std::optional<std::string> redirect;
  std::optional<std::string> explanation;
};

bool is_spf(std::string_view txt);
Result<Record> parse_record(std::string_view txt);

}  // namespace appliance::spf
