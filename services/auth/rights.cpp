// NAME
//   rights.cpp - grants, their text form, and the subset rule for API keys.
#include "auth/rights.h"

#include <fmt/format.h>

#include <algorithm>

namespace appliance::auth {

Result<Grant> parse_grant(std::string_view text) {
  if (text == "appliance-admin") return Grant{Role::appliance_admin, {}};
  if (text == "user") return Grant{Role::user, {}};
  if (text == "auditor") return Grant{Role::auditor, {}};
  constexpr std::string_view kTenant = "tenant-admin:";
  if (text.substr(0, kTenant.size()) == kTenant && text.size() > kTenant.size())
    return Grant{Role::tenant_admin, std::string(text.substr(kTenant.size()))};
  return make_error(fmt::format(
      "unknown role \"{}\" (appliance-admin, tenant-admin:<tenant>, user, auditor)", text));
}

std::string to_string(const Grant& g) {
  switch (g.role) {
    case Role::appliance_admin:
      return "appliance-admin";
    case Role::tenant_admin:
      return "tenant-admin:" + g.tenant;
    case Role::user:
      return "user";
    case Role::auditor:
      return "auditor";
  }
  return "?";
}

bool covers(const Grant& held, const Grant& wanted) {
  switch (held.role) {
    case Role::appliance_admin:
      return true;
    case Role::tenant_admin:
      return wanted.role == Role::user ||
             (wanted.role == Role::tenant_admin && wanted.tenant == held.tenant);
    case Role::user:
      return wanted.role == Role::user;
    case Role::auditor:
      return wanted.role == Role::auditor;
  }
  return false;
}

Result<void> check_subset(const Rights& requested, const Rights& creator) {
  for (const Grant& want : requested) {
    bool ok = std::any_of(creator.begin(), creator.end(),
                          [&](const Grant& held) { return covers(held, want); });
    if (!ok)
      return make_error(
          fmt::format("an API key cannot carry {}: its creator does not hold it", to_string(want)));
  }
  return {};
}

}  // namespace appliance::auth
