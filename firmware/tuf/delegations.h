// NAME
//   delegations.h - which delegated roles may speak for a target path.
//
// DESCRIPTION
//   A PATHPATTERN is matched segment by segment: pattern and path must have
//   the same number of '/'-separated segments, and within a segment '*'
//   matches any run of characters, '?' one character, "[abc]", "[a-z]" and
//   "[!abc]" one character of (or not of) a set; so a wildcard never crosses
//   a '/'. path_hash_prefixes match when the SHA-256 hex of the path starts
//   with one of them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tuf/metadata.h"

namespace appliance::tuf {

bool match_path_pattern(std::string_view pattern, std::string_view path);

bool role_covers_path(const DelegatedRole& role, std::string_view path);

// The delegated roles to visit for `path`, in priority order, stopping after
// the first terminating one that matches.
struct RoleToVisit {
  const DelegatedRole* role;
  bool terminating;
};
std::vector<RoleToVisit> roles_for_target(const Delegations& delegations, std::string_view path);

// True if `path` is a relative '/'-separated path with no empty, "." or ".."
// segment: the only target paths the client will fetch or store.
bool is_safe_target_path(std::string_view path);

}  // namespace appliance::tuf
