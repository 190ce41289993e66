// NAME
//   softhsm.cpp - write a private SoftHSM configuration and token directory.
//
// DESCRIPTION
//   Directories are 0700 and the file 0600 whatever the umask, because the
//   token directory holds the (PIN-encrypted) key store.
#include "softhsm.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace appliance::hsm {

namespace {

Result<void> make_private_dir(const std::filesystem::path& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return Error{"mkdir " + dir.string() + ": " + std::strerror(errno)};
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return Error{dir.string() + ": not a directory"};
  if (st.st_uid != ::geteuid()) return Error{dir.string() + ": not owned by this user"};
  if (::chmod(dir.c_str(), 0700) != 0)
    return Error{"chmod " + dir.string() + ": " + std::strerror(errno)};
  return {};
}

// open(O_NOFOLLOW, 0600) rather than ofstream + umask: umask is process-wide.
Result<void> write_private_file(const std::filesystem::path& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return Error{"open " + path.string() + ": " + std::strerror(errno)};
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const int saved = errno;
  const bool mode_set = ::fchmod(fd, 0600) == 0;
  const bool closed = ::close(fd) == 0;
  if (!written) return Error{"write " + path.string() + ": " + std::strerror(saved)};
  if (!mode_set || !closed) return Error{"finish " + path.string() + ": " + std::strerror(errno)};
  return {};
}

}  // namespace

Result<std::string> create_softhsm_config(const std::filesystem::path& dir) {
  std::error_code ec;
  const auto base = std::filesystem::absolute(dir, ec);
  if (ec) return Error{dir.string() + ": " + ec.message()};
  if (auto made = make_private_dir(base); !made) return made.error();
  const auto tokens = base / "tokens";
  if (auto made = make_private_dir(tokens); !made) return made.error();

  const auto conf = base / "softhsm2.conf";
  const std::string text =
      "# SoftHSM configuration written by the appliance\n"
      "directories.tokendir = " +
      tokens.string() +
      "\n"
      "objectstore.backend = file\n"
      "log.level = ERROR\n"
      "slots.removable = false\n";
  if (auto written = write_private_file(conf, text); !written) return written.error();
  return conf.string();
}

Result<void> use_softhsm_config(const std::string& conf) {
  if (::setenv("SOFTHSM2_CONF", conf.c_str(), 1) != 0)
    return Error{std::string("setenv SOFTHSM2_CONF: ") + std::strerror(errno)};
  return {};
}

}  // namespace appliance::hsm
