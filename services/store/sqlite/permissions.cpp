// NAME
//   permissions.cpp - modes and group of the store's files and directories.
#include "store/sqlite/permissions.h"

#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <optional>

namespace appliance::store::sqlite {
namespace {

std::optional<gid_t> store_group() {
  static const std::optional<gid_t> gid = []() -> std::optional<gid_t> {
    const group* g = ::getgrnam(kStoreGroup);
    return g ? std::optional<gid_t>(g->gr_gid) : std::nullopt;
  }();
  return gid;
}

void share(const std::filesystem::path& path, mode_t shared, mode_t alone) {
  auto gid = store_group();
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || st.st_uid != ::geteuid()) return;
  // Only root may give a file to a group it is not in; others keep the group
  // the setgid directory gave.
  if (gid && st.st_gid != *gid) (void)::chown(path.c_str(), static_cast<uid_t>(-1), *gid);
  ::chmod(path.c_str(), gid ? shared : alone);
}

}  // namespace

void share_directory(const std::filesystem::path& dir) {
  share(dir, 02770, 0700);
}

void share_file(const std::filesystem::path& file) {
  share(file, 0660, 0600);
}

}  // namespace appliance::store::sqlite
