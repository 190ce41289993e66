// NAME
//   home.h - the state directory of an embedded-default appliance.
//
// DESCRIPTION
//   prepare_home() makes a state directory ready to run: its folders with
//   their owners and modes, a default appliance.conf, and on first start a
//   SoftHSM token with a random PIN kept in a root-only file (0600). It is
//   idempotent: what exists is kept.
#pragma once

#include <filesystem>
#include <string>

#include "common/paths.h"
#include "common/result.h"

namespace appliance {

struct HomeOptions {
  std::filesystem::path home;
  std::filesystem::path libexec;  // where keyd is: it alone creates the token
  bool any_port = false;          // listeners on free loopback ports (tests)
};

struct HomeReport {
  bool created_token = false;
  bool created_config = false;
};

Result<HomeReport> prepare_home(const HomeOptions& options);

// The default configuration for a state directory, as written at first start.
std::string default_config(const Paths& paths, bool any_port);

}  // namespace appliance
