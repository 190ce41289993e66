// NAME
//   child.h - starting one daemon as a child process.
//
// DESCRIPTION
//   spawn() forks and execs a daemon the way systemd would: listening sockets
//   from fd 3 on with LISTEN_FDS, LISTEN_PID and LISTEN_FDNAMES, a
//   NOTIFY_SOCKET for sd_notify, its own session (so a terminal's Ctrl-C goes
//   to the supervisor alone), and death when the supervisor dies.
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace appliance {

struct ChildSpec {
  std::string binary;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, int>> sockets;  // name -> fd in the parent
  std::vector<std::string> env;                      // extra "KEY=value"
  std::string notify_socket;
  bool quiet = false;  // standard output to /dev/null (a job's report)
};

Result<pid_t> spawn(const ChildSpec& spec);

// "exited with status 70", "killed by signal SIGKILL (core dumped)".
std::string describe_wait_status(int status);

}  // namespace appliance
