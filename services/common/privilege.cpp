// NAME
//   privilege.cpp - user switch and process hardening.
#include "common/privilege.h"

#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace appliance {

Result<UserIds> lookup_user(const std::string& name) {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  int rc = getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found);
  if (rc != 0) return make_error(fmt::format("user '{}': {}", name, std::strerror(rc)));
  if (!found) return make_error(fmt::format("user '{}' does not exist", name));
  return UserIds{pw.pw_uid, pw.pw_gid};
}

Result<void> harden_process() {
  rlimit none{0, 0};
  if (setrlimit(RLIMIT_CORE, &none) != 0)
    return make_error(fmt::format("setrlimit(RLIMIT_CORE): {}", std::strerror(errno)));
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    return make_error(fmt::format("PR_SET_DUMPABLE: {}", std::strerror(errno)));
  return {};
}

Result<void> drop_privileges(const std::string& user) {
  auto ids = lookup_user(user);
  if (!ids) return ids.error();
  if (ids->uid == 0) return make_error(fmt::format("user '{}' is root; refusing", user));
  // The kernel forgets the parent-death signal when the uid changes: a child
  // of the development supervisor keeps it, so it does not outlive a
  // supervisor that was killed.
  int death_signal = 0;
  prctl(PR_GET_PDEATHSIG, &death_signal, 0, 0, 0);
  const pid_t parent = getppid();
  // Exactly the groups /etc/group gives the user (appliance-store for the
  // daemons that open the store), nothing inherited from root.
  if (initgroups(user.c_str(), ids->gid) != 0)
    return make_error(fmt::format("initgroups({}): {}", user, std::strerror(errno)));
  if (setresgid(ids->gid, ids->gid, ids->gid) != 0)
    return make_error(fmt::format("setresgid({}): {}", ids->gid, std::strerror(errno)));
  if (setresuid(ids->uid, ids->uid, ids->uid) != 0)
    return make_error(fmt::format("setresuid({}): {}", ids->uid, std::strerror(errno)));
  // A successful way back would mean the drop did not happen.
  if (setuid(0) == 0 || seteuid(0) == 0) return make_error("privileges could be regained");
  if (death_signal != 0) {
    if (prctl(PR_SET_PDEATHSIG, death_signal, 0, 0, 0) != 0)
      return make_error(fmt::format("PR_SET_PDEATHSIG: {}", std::strerror(errno)));
    if (getppid() != parent) return make_error("the parent process ended while privileges dropped");
  }
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    return make_error(fmt::format("PR_SET_NO_NEW_PRIVS: {}", std::strerror(errno)));
  // setuid resets the dumpable flag on some kernels; set it again.
  return harden_process();
}

}  // namespace appliance
