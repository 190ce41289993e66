// NAME
//   listen.cpp - socket activation and binding.
#include "common/listen.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/config.h"
#include "common/ipc.h"

namespace appliance {
namespace {

std::string sys_error(std::string_view what) {
  return fmt::format("{}: {}", what, std::strerror(errno));
}

}  // namespace

Result<std::map<std::string, int>> inherited_sockets() {
  char** names = nullptr;
  int n = sd_listen_fds_with_names(1, &names);
  if (n < 0) return make_error(fmt::format("LISTEN_FDS: {}", std::strerror(-n)));
  std::map<std::string, int> fds;
  for (int i = 0; i < n; ++i) {
    std::string name = names && names[i] ? names[i] : fmt::format("fd{}", i);
    fds[name] = SD_LISTEN_FDS_START + i;
  }
  if (names) {
    for (int i = 0; i < n; ++i) free(names[i]);
    free(names);
  }
  return fds;
}

Result<int> bind_tcp(const std::string& endpoint) {
  auto hp = config::parse_endpoint(endpoint);
  if (!hp) return make_error(fmt::format("{}: {}", endpoint, hp.message()));
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
  addrinfo* res = nullptr;
  std::string port = std::to_string(hp->port);
  if (int rc = getaddrinfo(hp->host.c_str(), port.c_str(), &hints, &res); rc != 0)
    return make_error(fmt::format("{}: {}", endpoint, gai_strerror(rc)));
  int fd = ::socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  bool ok = fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
            ::bind(fd, res->ai_addr, res->ai_addrlen) == 0 && ::listen(fd, SOMAXCONN) == 0;
  auto err = ok ? Error{} : make_error(sys_error(fmt::format("bind {}", endpoint)));
  freeaddrinfo(res);
  if (!ok) {
    if (fd >= 0) ::close(fd);
    return err;
  }
  return fd;
}

Result<int> bind_unix(const std::string& path, mode_t mode) {
  auto addr = ipc::unix_address(path);
  if (!addr) return addr.error();
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return make_error(sys_error("socket"));
  ::unlink(path.c_str());
  // The mode is right from the start: no window in which others may connect.
  mode_t old = ::umask(0777 & ~mode);
  int rc = ::bind(fd, reinterpret_cast<sockaddr*>(&*addr), sizeof *addr);
  ::umask(old);
  if (rc != 0 || ::chmod(path.c_str(), mode) != 0 || ::listen(fd, SOMAXCONN) != 0) {
    auto err = make_error(sys_error(fmt::format("bind {}", path)));
    ::close(fd);
    return err;
  }
  return fd;
}

Result<int> local_port(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0)
    return make_error(sys_error("getsockname"));
  if (ss.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
  return make_error("not a TCP socket");
}

}  // namespace appliance
