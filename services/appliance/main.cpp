// NAME
//   appliance - run the embedded-default appliance.
//
// SYNOPSIS
//   appliance up [--home DIR] [--ports any]
//   appliance status [--home DIR]
//
// DESCRIPTION
//   `up` prepares the state directory (default $APPLIANCE_HOME, else ./var) on
//   first start (folders, appliance.conf, a SoftHSM token with a random PIN),
//   then supervises every daemon on loopback ports until Ctrl-C or SIGTERM.
//   `status` shows each daemon's state and health.
//
// SECURITY
//   The supervisor runs as the invoking user (root on a box, or a developer).
//   It reads no network input: it binds listening sockets and hands them to the
//   daemons, which drop to their own users. It never opens the token; keyd does.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "appliance/home.h"
#include "appliance/status.h"
#include "appliance/supervisor.h"
#include "common/log.h"

namespace fs = std::filesystem;
using namespace appliance;

namespace {

fs::path default_home() {
  const char* env = std::getenv("APPLIANCE_HOME");
  return fs::absolute(env && *env ? env : "var");
}

fs::path libexec_dir() {
  if (const char* env = std::getenv("APPLIANCE_LIBEXEC")) return env;
  return fs::read_symlink("/proc/self/exe").parent_path();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"The mail appliance: run it, and see how it runs."};
  app.require_subcommand(1);
  fs::path home = default_home();
  std::string ports = "default";

  auto* up = app.add_subcommand("up", "Prepare the state directory and run every daemon");
  up->add_option("--home", home, "State directory (default: $APPLIANCE_HOME or ./var)");
  up->add_option("--ports", ports, "'default' loopback ports, or 'any' free ports")
      ->check(CLI::IsMember({"default", "any"}));
  auto* status = app.add_subcommand("status", "Show each daemon's state and health");
  status->add_option("--home", home, "State directory (default: $APPLIANCE_HOME or ./var)");
  CLI11_PARSE(app, argc, argv);

  log::init("appliance");
  Paths paths{fs::absolute(home)};
  if (status->parsed()) return print_status(paths);

  auto lock = take_lock(paths);
  if (!lock) {
    std::cerr << "appliance up: " << lock.message() << "\n";
    return 1;
  }
  HomeOptions options{paths.home, libexec_dir(), ports == "any"};
  auto prepared = prepare_home(options);
  if (!prepared) {
    std::cerr << "appliance up: " << prepared.message() << "\n";
    return 1;
  }
  return run_supervisor({paths, libexec_dir(), ports == "any"});
}
