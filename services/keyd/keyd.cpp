// NAME
//   keyd.cpp - start-up and health of the key broker.
#include "keyd/keyd.h"

#include <unistd.h>

#include "common/log.h"
#include "common/privilege.h"
#include "keyd/defaults.h"

namespace appliance::keyd {

using namespace std::chrono_literals;

std::map<std::string, uid_t> daemon_uids(const config::Document& doc) {
  std::map<std::string, uid_t> out;
  for (const char* daemon : {"smtpd", "deliverd", "imapd", "pop3d", "webd", "monitord"}) {
    std::string user = fmt::format("appliance-{}", daemon);
    config::Reader r(doc, daemon);  // only `user` is read here; the daemon checks the rest
    user = r.string("user", user);
    if (auto ids = lookup_user(user); ids) out[daemon] = ids->uid;
  }
  return out;
}

uid_t admin_uid(const config::Document& doc) {
  if (geteuid() == 0) return 0;
  config::Reader r(doc, "keyd");
  auto own = lookup_user(r.string("user", "appliance-keyd"));
  // Started as its own user (systemd's User=): root administers, as when keyd
  // drops from root itself. Otherwise every process runs as one developer's
  // uid, which is then the admin's.
  if (own && own->uid == geteuid()) return 0;
  return geteuid();
}

void KeydService::configure(config::Reader& section) {
  settings_.module_path = section.path("pkcs11_module", "/usr/lib/softhsm/libsofthsm2.so");
  settings_.token_label = section.string("token_label", "appliance");
  settings_.softhsm_conf = section.path("softhsm_conf", "/");
}

Result<void> KeydService::pre_init(DaemonContext& ctx) {
  if (settings_.softhsm_conf == "/") settings_.softhsm_conf = ctx.paths.softhsm_conf();
  // The PIN file is root's; read it before the drop. Under systemd it comes
  // as a credential instead. A missing PIN is not fatal: keyd starts, and
  // says why it is not ready.
  std::filesystem::path pin_path = ctx.paths.pin_file();
  if (const char* creds = std::getenv("CREDENTIALS_DIRECTORY"))
    pin_path = std::filesystem::path(creds) / "token-pin";
  auto pin = read_pin(pin_path);
  if (pin) pin_ = std::move(pin).value();
  else last_reason_ = "no token PIN: " + pin.message();

  auto fd = unix_socket(ctx, "keyd", ctx.paths.keyd_socket(), 0666);
  if (!fd) return fd.error();
  socket_fd_ = *fd;
  acl_.emplace(daemon_uids(ctx.config), admin_uid(ctx.config));
  config::Reader appliance_section(ctx.config, "appliance");
  hostname_ = appliance_section.string("hostname", "mail.example.test");
  registry_.emplace(ctx.paths.token_dir() / "keyd");
  return {};
}

Result<void> KeydService::post_init(DaemonContext& ctx) {
  std::error_code ec;
  std::filesystem::create_directories(ctx.paths.token_dir() / "keyd", ec);
  token_.emplace(settings_);
  broker_.emplace(Broker{*token_, *registry_, *acl_});
  server_ = std::make_unique<Server>(*broker_, socket_fd_);
  retry_.emplace(ctx.io);
  try_open();
  server_->start();
  return {};
}

void KeydService::try_open() {
  if (!pin_.empty()) {
    auto opened = token_->open(pin_);
    if (opened) opened = load_registry(*broker_);
    if (opened) {
      auto made = provision_default_keys(*broker_, hostname_);
      if (!made) opened = made.error();
      for (const std::string& name : made ? *made : std::vector<std::string>())
        log::info("default key made", {{"key", name}});
    }
    if (opened) {
      log::info("token open", {{"label", settings_.token_label},
                               {"keys", broker_->registry.list().size()}});
      last_reason_.clear();
      return;
    }
    if (opened.message() != last_reason_)
      log::error("cannot open the token; will retry", {{"error", opened.message()}});
    last_reason_ = opened.message();
  }
  retry_->expires_after(5s);
  retry_->async_wait([this](boost::system::error_code ec) {
    if (!ec) try_open();
  });
}

Health KeydService::health() {
  if (token_ && token_->ready() && last_reason_.empty())
    return {true, "token '" + settings_.token_label + "' open"};
  return {false, last_reason_.empty() ? "starting" : last_reason_};
}

void KeydService::stop() {
  if (retry_) retry_->cancel();
  if (server_) server_->stop();
  if (registry_) (void)registry_->save();  // keep the use counts
}

}  // namespace appliance::keyd
