// NAME
//   privilege.h - dropping root for good.
//
// DESCRIPTION
//   drop_privileges() switches to a named user and its group, clears the
//   supplementary groups, forbids regaining privilege (setuid(0) must fail,
//   PR_SET_NO_NEW_PRIVS) and disables core dumps, so that a crashed daemon
//   leaves no memory image with secrets in it.
#pragma once

#include <sys/types.h>

#include <string>

#include "common/result.h"

namespace appliance {

struct UserIds {
  uid_t uid = 0;
  gid_t gid = 0;
};

Result<UserIds> lookup_user(const std::string& name);

// No core files and no ptrace by other processes of the same user.
Result<void> harden_process();

Result<void> drop_privileges(const std::string& user);

}  // namespace appliance
