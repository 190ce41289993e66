// NAME
//   signatures.h - does a threshold of a role's keys sign a metadata file?
//
// DESCRIPTION
//   Counts the distinct keys of the role whose signature over the canonical
//   "signed" bytes verifies. A key counts once, however many signatures name
//   it, and two key ids holding the same public key count once as well.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/result.h"
#include "tuf/keys.h"
#include "tuf/metadata.h"

namespace appliance::tuf {

std::size_t count_valid_signatures(const Envelope& envelope, const std::map<std::string, Key>& keys,
                                   const RoleKeys& role);

// Error: "arbitrary software attack: threshold not met: <what> has 1 valid
// signature of 2 required<context>".
Result<void> verify_threshold(const Envelope& envelope, const std::map<std::string, Key>& keys,
                              const RoleKeys& role, std::string_view what,
                              std::string_view context = {});

}  // namespace appliance::tuf
