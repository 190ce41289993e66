// NAME
//   version.h - ordering of release versions ("2026.11.1", "2.0", "3.1-rc2").
//
// DESCRIPTION
//   A version is split at '.', '-' and '+'; parts that are all digits compare
//   as numbers, other parts as text, and a number sorts before text. A
//   version that is a prefix of another is older ("2.0" < "2.0.1"). Pure.
#pragma once

#include <string_view>

namespace appliance::updated {

// Negative, zero or positive, as a is older than, equal to or newer than b.
int compare_versions(std::string_view a, std::string_view b);

}  // namespace appliance::updated
