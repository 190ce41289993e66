// NAME
//   endpoints.h - the public listeners and run/endpoints.json.
//
// DESCRIPTION
//   The supervisor binds every daemon's public listeners itself (as systemd
//   socket units would), so that a port chosen by the kernel (port 0) is known
//   before any daemon starts and stays the same when a daemon restarts. The
//   result goes to run/endpoints.json (service name -> "host:port") for
//   programs, and to the terminal for people.
#pragma once

#include <string>
#include <vector>

#include "appliance/daemons.h"
#include "common/paths.h"
#include "common/result.h"

namespace appliance {

struct BoundListener {
  std::string daemon;
  std::string name;
  std::string address;  // "127.0.0.1:2525"
  int fd = -1;
};

struct Listeners {
  std::vector<BoundListener> all;
  std::vector<BoundListener> of(const std::string& daemon) const;
};

Result<Listeners> bind_listeners(const Paths& paths, const std::vector<DaemonSpec>& daemons,
                                 bool any_port);
Result<void> write_endpoints(const Paths& paths, const Listeners& listeners);
// What a person reads when the appliance is up; `bin` is where the
// appliance's programs are, for the commands it suggests.
std::string describe_endpoints(const Paths& paths, const Listeners& listeners,
                               const std::filesystem::path& bin);

}  // namespace appliance
