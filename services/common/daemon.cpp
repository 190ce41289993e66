// NAME
//   daemon.cpp - the shared start sequence: config, privileged setup, drop,
//   serve, notify.
#include "common/daemon.h"

#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>

#include "common/admin.h"
#include "common/counters_report.h"
#include "common/health_report.h"
#include "common/listen.h"
#include "common/log.h"
#include "common/privilege.h"

namespace appliance {
namespace {

std::optional<std::string> config_path_from_args(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--config" && i + 1 < argc) return argv[i + 1];
    if (arg.starts_with("--config=")) return std::string(arg.substr(9));
  }
  if (const char* env = std::getenv("APPLIANCE_CONFIG")) return env;
  return std::nullopt;
}

}  // namespace

StoreConfig read_store_config(config::Reader& appliance) {
  StoreConfig c;
  c.backend = appliance.choice("store", {"sqlite", "postgres"}, c.backend);
  c.postgres = c.backend == "postgres" ? appliance.required_string("store.postgres")
                                       : appliance.string("store.postgres", "");
  return c;
}

namespace {

Result<void> read_appliance_section(const config::Document& doc, Paths& paths,
                                    StoreConfig& store) {
  config::Reader common(doc, "appliance");
  paths.home = common.path("home", "/var/lib/appliance");
  common.string("domain", "example.test");  // read by daemons that need it
  common.string("hostname", "mail.example.test");
  store = read_store_config(common);
  return common.finish();
}

}  // namespace

Result<StoreConfig> store_config(const config::Document& doc) {
  Paths paths;
  StoreConfig store;
  if (auto done = read_appliance_section(doc, paths, store); !done) return done.error();
  return store;
}

Result<StoreConfig> load_store_config(const std::string& config_path) {
  auto doc = config::load(config_path);
  if (!doc) return doc.error();
  return store_config(*doc);
}

Result<DaemonSettings> load_daemon_settings(const std::string& name,
                                            const std::string& default_user, Service& service,
                                            const std::string& path) {
  auto doc = config::load(path);
  if (!doc) return doc.error();
  DaemonSettings s;
  s.document = *doc;
  if (auto done = read_appliance_section(*doc, s.paths, s.store); !done) return done.error();

  config::Reader own(*doc, name);
  s.user = own.string("user", default_user);
  for (const std::string& l : service.listener_names())
    s.endpoints[l] = own.endpoint("listen." + l, "127.0.0.1:0");
  service.configure(own);
  if (auto done = own.finish(); !done) return done.error();
  if (auto shared = service.configure_shared(*doc); !shared) return shared.error();
  return s;
}

namespace {

// Listening sockets: inherited through socket activation, else bound here.
// Every inherited socket, by name, plus the configured listeners that were
// not inherited, bound here. Under systemd a daemon that starts as its own
// user also inherits its unix sockets ("admin", keyd's "keyd"): it could not
// make them in the root-owned run folder itself.
Result<std::map<std::string, int>> open_listeners(const DaemonSettings& s) {
  auto inherited = inherited_sockets();
  if (!inherited) return inherited.error();
  std::map<std::string, int> fds = *inherited;
  for (const auto& [name, endpoint] : s.endpoints) {
    if (fds.contains(name)) continue;
    auto fd = bind_tcp(endpoint);
    if (!fd) return fd.error();
    fds[name] = *fd;
  }
  return fds;
}

Result<void> drop_if_root(const std::string& user) {
  if (geteuid() != 0) {
    log::info("not started as root; keeping uid", {{"uid", geteuid()}});
    return harden_process();
  }
  if (auto dropped = drop_privileges(user); !dropped) return dropped.error();
  log::info("dropped privileges", {{"user", user}, {"uid", getuid()}});
  return {};
}

void start_watchdog(boost::asio::io_context& io, std::unique_ptr<boost::asio::steady_timer>& t) {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(1, &usec) <= 0) return;
  t = std::make_unique<boost::asio::steady_timer>(io);
  auto interval = std::chrono::microseconds(usec / 2);
  auto tick = std::make_shared<std::function<void()>>();
  *tick = [timer = t.get(), interval, tick]() {
    sd_notify(0, "WATCHDOG=1");
    timer->expires_after(interval);
    timer->async_wait([tick](boost::system::error_code ec) {
      if (!ec) (*tick)();
    });
  };
  (*tick)();
}

// run/health/<daemon>, the daemon user's own: made here when started as
// root (the supervisor and tmpfiles.d on a box make it beforehand), else
// made if the daemon may.
void prepare_health_folder(const Paths& paths, const std::string& name, const std::string& user) {
  const std::filesystem::path dir = paths.health_report(name).parent_path();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || geteuid() != 0) return;
  auto ids = lookup_user(user);
  if (!ids || ::chown(dir.c_str(), ids->uid, ids->gid) != 0 || ::chmod(dir.c_str(), 0755) != 0)
    log::warning("cannot give the health folder to the daemon's user",
                 {{"folder", dir.string()}, {"user", user}});
}

// Leaves health() in the daemon's health report every kHealthReportEvery
// (common/health_report.h), for readers without the admin socket, and the
// process's counters beside it (common/counters_report.h); removes both at
// stop. Not synced: a report outlives no boot.
class HealthReporter {
 public:
  HealthReporter(boost::asio::io_context& io, std::string name, const Paths& paths,
                 Service& service)
      : timer_(io),
        name_(std::move(name)),
        file_(paths.health_report(name_)),
        counters_file_(paths.counters_report(name_)),
        service_(service),
        boot_id_(read_boot_id()) {}

  void start() {
    write();
    timer_.expires_after(kHealthReportEvery);
    timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) start();
    });
  }

  void stop() {
    timer_.cancel();
    std::error_code ec;
    std::filesystem::remove(file_, ec);
    std::filesystem::remove(counters_file_, ec);
  }

 private:
  void write() {
    if (!boot_id_) return warn_once(boot_id_.message());
    const Health h = service_.health();
    const std::int64_t now = boottime_ms();
    leave(file_, format_health_report(
                     make_health_report(name_, getpid(), *boot_id_, now, h.ready, h.reason)));
    leave(counters_file_, format_counters_report(make_counters_report(
                              name_, getpid(), *boot_id_, now, process_counters())));
  }

  // Replaces `file` with `text` at once, readable by every local process.
  void leave(const std::filesystem::path& file, const std::string& text) {
    const std::string tmp = file.string() + ".tmp";
    {
      std::ofstream out(tmp, std::ios::trunc);
      out << text;
      if (!out.flush()) return warn_once("cannot write " + tmp);
    }
    ::chmod(tmp.c_str(), 0644);
    if (::rename(tmp.c_str(), file.c_str()) != 0) return warn_once(std::strerror(errno));
  }

  void warn_once(const std::string& why) {
    if (warned_) return;
    warned_ = true;
    log::warning("cannot leave the health report", {{"file", file_.string()}, {"error", why}});
  }

  boost::asio::steady_timer timer_;
  std::string name_;
  std::filesystem::path file_, counters_file_;
  Service& service_;
  Result<std::string> boot_id_;
  bool warned_ = false;
};

int fail(std::string_view stage, const Error& error, int code) {
  log::error(stage, {{"error", error.message}});
  return code;
}

}  // namespace

Result<int> unix_socket(const DaemonContext& ctx, const std::string& name,
                        const std::filesystem::path& path, mode_t mode) {
  if (auto it = ctx.listeners.find(name); it != ctx.listeners.end()) return it->second;
  return bind_unix(path.string(), mode);
}

int run_daemon(const std::string& name, const std::string& default_user, Service& service,
               int argc, char** argv) {
  log::init(name);
  std::signal(SIGPIPE, SIG_IGN);
  auto config_path = config_path_from_args(argc, argv);
  if (!config_path) {
    std::cerr << name << ": usage: " << name << " --config FILE\n";
    return kExitConfig;
  }
  auto settings = load_daemon_settings(name, default_user, service, *config_path);
  if (!settings) return fail("configuration rejected; not starting", settings.error(), kExitConfig);

  // The loop outlives the Service, which main() owns and destroys after this
  // returns: the service's sockets and timers must close while their loop
  // still exists.
  static boost::asio::io_context io(1);
  auto listeners = open_listeners(*settings);
  if (!listeners) return fail("cannot open listeners", listeners.error(), kExitSoftware);
  DaemonContext ctx{name, settings->document, settings->paths, settings->store, io, *listeners};
  auto admin_fd = unix_socket(ctx, "admin", ctx.paths.admin_socket(name), 0600);
  if (!admin_fd) return fail("cannot open admin socket", admin_fd.error(), kExitSoftware);
  if (auto pre = service.pre_init(ctx); !pre)
    return fail("start-up failed", pre.error(), kExitSoftware);

  prepare_health_folder(ctx.paths, name, settings->user);
  if (auto dropped = drop_if_root(settings->user); !dropped)
    return fail("cannot drop privileges", dropped.error(), kExitSoftware);

  AdminServer admin(io, *admin_fd, [&](const ipc::Message& m, const ipc::PeerCred&) {
    if (m.type == ipc::Type::health_request) return health_reply(name, service.health());
    return error_reply(fmt::format("{} does not answer {}", name, ipc::type_name(m.type)));
  });
  admin.start();
  if (auto post = service.post_init(ctx); !post)
    return fail("start-up failed", post.error(), kExitSoftware);

  HealthReporter reporter(io, name, ctx.paths, service);
  std::unique_ptr<boost::asio::steady_timer> watchdog;
  boost::asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](boost::system::error_code ec, int sig) {
    if (ec) return;
    log::info("stopping", {{"signal", strsignal(sig)}});
    sd_notify(0, "STOPPING=1");
    admin.stop();
    reporter.stop();
    service.stop();
    if (watchdog) watchdog->cancel();
    io.stop();
  });
  start_watchdog(io, watchdog);
  reporter.start();
  sd_notify(0, "READY=1");
  log::info("ready");
  io.run();
  // Conversations asked to say goodbye get a moment to do it; the loop ends
  // as soon as nothing is left to do.
  io.restart();
  io.run_for(std::chrono::seconds(3));
  return 0;
}

}  // namespace appliance
