// NAME
//   files.cpp - atomic file replacement.
#include "common/files.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace appliance {

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view data,
                                   mode_t mode) {
  std::string tmp = path.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return make_error(fmt::format("{}: {}", tmp, std::strerror(errno)));
  bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0)
    return make_error(fmt::format("{}: {}", path.string(), std::strerror(errno)));
  return {};
}

}  // namespace appliance
