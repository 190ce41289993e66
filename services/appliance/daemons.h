// NAME
//   daemons.h - the daemons the supervisor runs, and their public listeners.
//
// DESCRIPTION
//   As daemons are added to the appliance, they are added here: the supervisor
//   starts each, binds its listeners and passes them by socket activation.
#pragma once

#include <string>
#include <vector>

namespace appliance {

struct ListenerSpec {
  std::string name;              // endpoints.json key: "smtp", "imaps", "web", ...
  std::string default_endpoint;  // development default, loopback
};

struct DaemonSpec {
  std::string name;  // binary name and config section
  std::string user;  // the user it drops to
  std::vector<ListenerSpec> listeners;
};

const std::vector<DaemonSpec>& supervised_daemons();

}  // namespace appliance
