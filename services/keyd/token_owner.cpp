// NAME
//   token_owner.cpp - open the token, log in, create it on first start.
#include "keyd/token_owner.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/log.h"
#include "common/privilege.h"
#include "hsm/softhsm.h"

namespace appliance::keyd {
namespace {

Result<void> write_secret(int fd, const std::filesystem::path& path, const Secret& s) {
  std::string_view bytes = s.reveal();
  if (::write(fd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size()) ||
      ::fsync(fd) != 0)
    return make_error(fmt::format("{}: {}", path.string(), std::strerror(errno)));
  return {};
}

Result<int> create_private_file(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return make_error(fmt::format("{}: {}", path.string(), std::strerror(errno)));
  return fd;
}

Result<void> load_module(const TokenSettings& s, std::unique_ptr<hsm::Module>& module) {
  if (module) return {};
  if (!s.softhsm_conf.empty())
    if (auto used = hsm::use_softhsm_config(s.softhsm_conf.string()); !used) return used.error();
  auto loaded = hsm::Module::load(s.module_path);
  if (!loaded) return loaded.error();
  module = std::move(loaded).value();
  return {};
}

}  // namespace

Result<void> TokenOwner::open(const Secret& pin) {
  auto fail = [this](const Error& e) -> Result<void> {
    reason_ = e.message;
    return e;
  };
  if (auto loaded = load_module(settings_, module_); !loaded) return fail(loaded.error());
  auto slot = module_->find_slot(settings_.token_label);
  if (!slot) return fail(slot.error());
  auto session = hsm::Session::open(*module_, *slot);
  if (!session) return fail(session.error());
  if (auto in = session->login(pin); !in) return fail(in.error());
  session_.emplace(std::move(session).value());
  reason_.clear();
  return {};
}

Result<Secret> read_pin(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(fmt::format("{}: {}", path.string(), std::strerror(errno)));
  struct stat st{};
  if (::fstat(fd, &st) != 0 || (st.st_mode & 077) != 0) {
    ::close(fd);
    return make_error(fmt::format("{}: must be mode 0600 or stricter", path.string()));
  }
  std::string buf(256, '\0');
  ssize_t n = ::read(fd, buf.data(), buf.size());
  ::close(fd);
  if (n <= 0) return make_error(fmt::format("{}: empty or unreadable", path.string()));
  buf.resize(static_cast<std::size_t>(n));
  return Secret(std::move(buf));
}

int init_token(const TokenSettings& settings, const std::filesystem::path& token_dir,
               const std::filesystem::path& pin_file, const std::filesystem::path& so_pin_file,
               const std::string& user) {
  auto fail = [](std::string_view what, const std::string& message) {
    log::error(what, {{"error", message}});
    return 1;
  };
  auto pin_fd = create_private_file(pin_file);
  if (!pin_fd) return fail("cannot create the PIN file", pin_fd.message());
  auto so_fd = create_private_file(so_pin_file);
  if (!so_fd) return fail("cannot create the SO PIN file", so_fd.message());
  if (geteuid() == 0) {
    if (auto dropped = drop_privileges(user); !dropped)
      return fail("cannot drop privileges", dropped.message());
  }
  TokenSettings s = settings;
  if (!s.softhsm_conf.empty()) {
    auto conf = hsm::create_softhsm_config(token_dir);
    if (!conf) return fail("cannot create the SoftHSM configuration", conf.message());
    s.softhsm_conf = *conf;
  }
  std::unique_ptr<hsm::Module> module;
  if (auto loaded = load_module(s, module); !loaded) return fail("cannot load", loaded.message());
  auto token = hsm::init_token(*module, s.token_label);
  if (!token) return fail("cannot initialise the token", token.message());
  if (auto w = write_secret(*pin_fd, pin_file, token->user_pin); !w)
    return fail("cannot write", w.message());
  if (auto w = write_secret(*so_fd, so_pin_file, token->so_pin); !w)
    return fail("cannot write", w.message());
  ::close(*pin_fd);
  ::close(*so_fd);
  log::info("token initialised", {{"label", s.token_label}});
  return 0;
}

}  // namespace appliance::keyd
