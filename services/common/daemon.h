// NAME
//   daemon.h - the skeleton every daemon starts from.
//
// DESCRIPTION
//   run_daemon() is the fixed start sequence, as Postfix's single_server_main:
//
//     1. read the configuration ([appliance], the daemon's own section and
//        the shared sections it uses, such as [accounts]); any error names
//        file, line and key, and the daemon exits 78;
//     2. pre_init(), as root where so started: take privileged resources
//        (listening sockets inherited by socket activation or bound here, the
//        admin socket, files only root may read);
//     3. drop to the daemon's own user (when root), harden the process;
//     4. post_init(): start serving on the Asio io_context;
//     5. sd_notify READY=1, WATCHDOG=1 while the loop runs when asked, and
//        STOPPING=1 on SIGTERM or SIGINT.
//
//   The admin socket answers health requests with health().
#pragma once

#include <sys/types.h>

#include <boost/asio/io_context.hpp>

#include <map>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/paths.h"
#include "common/result.h"

namespace appliance {

struct Health {
  bool ready = false;
  std::string reason;  // why not ready, or a short summary when ready
};

// [appliance] store and store.postgres: which store every daemon opens.
struct StoreConfig {
  std::string backend = "sqlite";  // sqlite | postgres
  std::string postgres;            // libpq connection string, with postgres
};

// Reads the store keys of [appliance]; errors go to the reader.
StoreConfig read_store_config(config::Reader& appliance);
// The store keys of a configuration file, [appliance] checked whole (for tools).
Result<StoreConfig> load_store_config(const std::string& config_path);
// The same of a configuration already read.
Result<StoreConfig> store_config(const config::Document& doc);

struct DaemonContext {
  std::string name;
  const config::Document& config;  // the whole file, read once
  Paths paths;
  StoreConfig store;
  boost::asio::io_context& io;
  std::map<std::string, int> listeners;  // name -> listening fd
};

class Service {
 public:
  virtual ~Service() = default;
  // Names of the TCP listeners this daemon serves ("smtp", "submission", ...).
  virtual std::vector<std::string> listener_names() const { return {}; }
  // Reads the daemon's own keys from its section.
  virtual void configure(config::Reader& section) = 0;
  // Reads the sections the daemon shares with others ([accounts]), also in
  // step 1, so that a bad value there stops it as a configuration error.
  virtual Result<void> configure_shared(const config::Document&) { return {}; }
  // Runs before the privilege drop.
  virtual Result<void> pre_init(DaemonContext&) { return {}; }
  // Runs after the drop; starts serving on ctx.io.
  virtual Result<void> post_init(DaemonContext& ctx) = 0;
  virtual Health health() = 0;
  // Begins an orderly stop; the loop ends when no work is left.
  virtual void stop() {}
};

struct DaemonSettings {
  config::Document document;
  Paths paths;
  StoreConfig store;
  std::string user;
  std::map<std::string, std::string> endpoints;  // listener name -> host:port
};

// A unix socket of the daemon's: the one inherited under `name` (under
// systemd, whose .socket unit made it), else one bound here at `path`.
Result<int> unix_socket(const DaemonContext& ctx, const std::string& name,
                        const std::filesystem::path& path, mode_t mode);

// Step 1 alone: reads [appliance] and the daemon's section, calling
// service.configure(), then service.configure_shared(); for one-shot
// commands of a daemon (keyd init-token).
Result<DaemonSettings> load_daemon_settings(const std::string& name,
                                            const std::string& default_user, Service& service,
                                            const std::string& config_path);

// Exit codes, as sysexits.h: a supervisor does not restart on 78.
constexpr int kExitConfig = 78;
constexpr int kExitSoftware = 70;

int run_daemon(const std::string& name, const std::string& default_user, Service& service,
               int argc, char** argv);

}  // namespace appliance
