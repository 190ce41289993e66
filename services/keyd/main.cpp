// NAME
//   keyd - the key broker: the only process that opens the token.
//
// SYNOPSIS
//   keyd --config FILE              serve
//   keyd --config FILE init-token   create the token at first start
//
// SECURITY
//   Trusts: its configuration and the PIN file, both root's, read before the
//   privilege drop. Reads: framed requests from local processes on its unix
//   socket, authorised per key by the caller's uid (SO_PEERCRED). Runs as
//   appliance-keyd. Holds the token PIN; no private key or secret value ever
//   leaves the token, and no PIN reaches a log.
#include <string_view>

#include "common/daemon.h"
#include "common/log.h"
#include "keyd/keyd.h"

using namespace appliance;

namespace {

int run_init_token(keyd::KeydService& service, const std::string& config_path) {
  auto settings = load_daemon_settings("keyd", "appliance-keyd", service, config_path);
  if (!settings) {
    log::error("configuration rejected", {{"error", settings.message()}});
    return kExitConfig;
  }
  const Paths& paths = settings->paths;
  keyd::TokenSettings s = service.token_settings();
  if (s.softhsm_conf == "/") s.softhsm_conf = paths.softhsm_conf();
  return keyd::init_token(s, paths.token_dir(), paths.pin_file(), paths.so_pin_file(),
                          settings->user);
}

}  // namespace

int main(int argc, char** argv) {
  keyd::KeydService service;
  if (argc == 4 && std::string_view(argv[1]) == "--config" &&
      std::string_view(argv[3]) == "init-token") {
    log::init("keyd");
    return run_init_token(service, argv[2]);
  }
  return run_daemon("keyd", "appliance-keyd", service, argc, argv);
}
