// NAME
//   rights.h - the roles an account holds, and what an API key may carry.
//
// DESCRIPTION
//   Four roles: appliance admin (everything), tenant admin (the domains and
//   accounts of one tenant), user (one's own account), auditor (read-only
//   access to every log). An account's rights are a list of grants; an API key
//   carries a list of grants too, and may only carry what its creator holds:
//   check_subset() names the first grant that is not covered.
//
//   Coverage: appliance admin covers every grant; tenant admin of T covers
//   tenant admin of T and user; user covers user; auditor covers auditor.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace appliance::auth {

enum class Role { appliance_admin, tenant_admin, user, auditor };

struct Grant {
  Role role = Role::user;
  std::string tenant;  // tenant_admin only
  bool operator==(const Grant&) const = default;
};

using Rights = std::vector<Grant>;

// "appliance-admin", "tenant-admin:<tenant>", "user", "auditor".
Result<Grant> parse_grant(std::string_view text);
std::string to_string(const Grant& grant);

bool covers(const Grant& held, const Grant& wanted);
Result<void> check_subset(const Rights& requested, const Rights& creator);

}  // namespace appliance::auth
