// NAME
//   listen.h - listening sockets, inherited or bound.
//
// DESCRIPTION
//   Under systemd, or under the appliance supervisor, sockets arrive already
//   bound through socket activation (LISTEN_FDS, LISTEN_PID, LISTEN_FDNAMES).
//   Otherwise a daemon binds them itself, before it drops privileges.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>

#include "common/result.h"

namespace appliance {

// name -> fd, taken from the environment (which is then cleared).
Result<std::map<std::string, int>> inherited_sockets();

// "host:port" -> a listening TCP socket (port 0: any free port).
Result<int> bind_tcp(const std::string& endpoint);

// A listening unix stream socket at path (replacing a stale one), with mode.
Result<int> bind_unix(const std::string& path, mode_t mode);

// The port a bound TCP socket got.
Result<int> local_port(int fd);

}  // namespace appliance
