// NAME
//   home.cpp - folders, default configuration, first token.
#include "appliance/home.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "appliance/child.h"
#include "appliance/daemons.h"
#include "common/log.h"
#include "common/privilege.h"
#include "store/sqlite/permissions.h"

namespace fs = std::filesystem;

namespace appliance {
namespace {

Result<void> make_dir(const fs::path& dir, mode_t mode, const std::string& owner = "") {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return make_error(fmt::format("{}: {}", dir.string(), ec.message()));
  if (::chmod(dir.c_str(), mode) != 0)
    return make_error(fmt::format("chmod {}: {}", dir.string(), std::strerror(errno)));
  if (!owner.empty() && geteuid() == 0) {
    auto ids = lookup_user(owner);
    if (!ids) return make_error(fmt::format("{} (run scripts/setup to create it)", ids.message()));
    if (::chown(dir.c_str(), ids->uid, ids->gid) != 0)
      return make_error(fmt::format("chown {}: {}", dir.string(), std::strerror(errno)));
  }
  return {};
}

Result<bool> write_config_once(const Paths& paths, bool any_port) {
  if (fs::exists(paths.config())) return false;
  std::string tmp = paths.config().string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << default_config(paths, any_port);
    if (!out) return make_error(fmt::format("{}: cannot write", tmp));
  }
  if (::rename(tmp.c_str(), paths.config().c_str()) != 0)
    return make_error(fmt::format("{}: {}", paths.config().string(), std::strerror(errno)));
  return true;
}

// Only keyd opens the token, so keyd creates it: `keyd init-token`.
Result<bool> create_token_once(const Paths& paths, const fs::path& libexec) {
  std::error_code ec;
  if (fs::exists(paths.pin_file()) && fs::file_size(paths.pin_file(), ec) > 0) return false;
  fs::remove(paths.pin_file(), ec);
  fs::remove(paths.so_pin_file(), ec);
  ChildSpec spec{(libexec / "keyd").string(), {"--config", paths.config().string(), "init-token"}};
  auto pid = spawn(spec);
  if (!pid) return pid.error();
  int status = 0;
  while (::waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    // Leave nothing half made: the next start tries again from scratch.
    fs::remove(paths.pin_file(), ec);
    fs::remove(paths.so_pin_file(), ec);
    return make_error(fmt::format("keyd init-token {}", describe_wait_status(status)));
  }
  return true;
}

}  // namespace

std::string default_config(const Paths& paths, bool any_port) {
  std::string out = fmt::format(
      "# appliance.conf: written at first start; see docs/configuration.md\n"
      "\n[appliance]\nhome = {}\ndomain = example.test\nhostname = mail.example.test\n",
      paths.home.string());
  for (const DaemonSpec& d : supervised_daemons()) {
    out += fmt::format("\n[{}]\nuser = {}\n", d.name, d.user);
    for (const ListenerSpec& l : d.listeners) {
      std::string endpoint = l.default_endpoint;
      if (any_port) endpoint = endpoint.substr(0, endpoint.rfind(':')) + ":0";
      out += fmt::format("listen.{} = {}\n", l.name, endpoint);
    }
  }
  return out;
}

Result<HomeReport> prepare_home(const HomeOptions& options) {
  Paths paths{options.home};
  const std::pair<fs::path, mode_t> dirs[] = {
      {paths.home, 0755}, {paths.home / "etc", 0755}, {paths.run_dir(), 0755},
      {paths.admin_dir(), 0700}, {paths.secrets_dir(), 0700}};
  for (const auto& [dir, mode] : dirs)
    if (auto made = make_dir(dir, mode); !made) return made.error();
  if (auto made = make_dir(paths.token_dir(), 0700, "appliance-keyd"); !made) return made.error();
  // updated writes here as its own user; webd reads its status file.
  if (auto made = make_dir(paths.update_dir(), 0755, "appliance-updated"); !made)
    return made.error();
  // deliverd keeps the MTA-STS policies it has seen there, across restarts.
  if (auto made = make_dir(paths.deliverd_dir(), 0700, "appliance-deliverd"); !made)
    return made.error();
  // Each daemon's health report folder, its user's alone to write: made for
  // every daemon before any starts, so that one which never got as far as
  // reporting is missed by updated's health gate, not overlooked.
  if (auto made = make_dir(paths.health_dir(), 0755); !made) return made.error();
  for (const DaemonSpec& d : supervised_daemons())
    if (auto made = make_dir(paths.health_report(d.name).parent_path(), 0755, d.user); !made)
      return made.error();
  // Made here, as root: the mail daemons, each its own user, cannot make it in home.
  std::error_code ec;
  if (fs::create_directory(paths.store_dir(), ec)) store::sqlite::share_directory(paths.store_dir());
  if (ec) return make_error(fmt::format("{}: {}", paths.store_dir().string(), ec.message()));

  HomeReport report;
  auto config = write_config_once(paths, options.any_port);
  if (!config) return config.error();
  report.created_config = *config;
  auto token = create_token_once(paths, options.libexec);
  if (!token) return token.error();
  report.created_token = *token;
  if (report.created_token) log::info("created the token", {{"dir", paths.token_dir().string()}});
  return report;
}

}  // namespace appliance
