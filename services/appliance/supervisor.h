// NAME
//   supervisor.h - `appliance up`: run every daemon, keep them running.
//
// DESCRIPTION
//   The supervisor holds the state directory's lock (a second supervisor on
//   the same directory refuses), binds the public listeners and writes
//   run/endpoints.json, starts each daemon with its sockets, restarts one that
//   dies with exponential back-off (not one that rejected its configuration),
//   and on SIGTERM or SIGINT stops them all: SIGTERM, then SIGKILL for any
//   still running after 4 seconds.
//
//   It reads READY=1 and WATCHDOG=1 from its children on a notify socket, as
//   systemd does, and restarts a child whose watchdog lapses. When all are up
//   it asks each for its health and prints it with the endpoints. Its admin
//   socket answers status requests (children, pids, restarts, state).
#pragma once

#include <filesystem>
#include <memory>

#include "common/paths.h"
#include "common/result.h"

namespace appliance {

struct SupervisorOptions {
  Paths paths;
  std::filesystem::path libexec;  // where the daemon binaries are
  bool any_port = false;
};

// Takes the state directory's lock, held for the life of the process; fails
// with a message naming the pid that holds it.
Result<int> take_lock(const Paths& paths);

// Runs until stopped; returns the process exit code.
int run_supervisor(const SupervisorOptions& options);

}  // namespace appliance
