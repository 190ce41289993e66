// NAME
//   pop3d.cpp - the store, TLS, logins, workers and the two listeners.
#include "pop3d/pop3d.h"

#include "auth/daemon_logins.h"
#include "net/adapter.h"
#include "net/mail_base.h"
#include "pop3d/conversation.h"

namespace appliance::pop3d {

using namespace std::chrono_literals;

// Destroyed in reverse: the base's listeners and workers first, then what they used.
struct Pop3dService::Running {
  std::unique_ptr<auth::DaemonLogins> logins;
  Services services;
  std::atomic<bool> stopping{false};
  std::unique_ptr<net::MailBase> base;
};

using NetConversation = net::Adapter<pop3d::Conversation, Io, Services, pop3::SessionConfig>;

Pop3dService::Pop3dService() = default;
Pop3dService::~Pop3dService() = default;

void Pop3dService::configure(config::Reader& section) {
  limits_ = net::ListenerLimits::read(section, 60, 86400, 600);
}

Result<void> Pop3dService::configure_shared(const config::Document& doc) {
  return auth::read_account_settings(doc, accounts_);
}

Result<void> Pop3dService::post_init(DaemonContext& ctx) {
  auto r = std::make_unique<Running>();
  auto base = net::MailBase::open(ctx, limits_.workers);
  if (!base) return base.error();
  r->logins = std::make_unique<auth::DaemonLogins>((*base)->store(), (*base)->keyd(), accounts_);
  r->services = {&r->logins->service(), &(*base)->store(), &r->stopping};
  r->base = std::move(*base);

  for (const std::string& name : listener_names()) {
    bool implicit = name == "pop3s";
    pop3::SessionConfig config;
    config.hostname = r->base->hostname();
    config.implicit_tls = implicit;
    net::ListenerOptions options{name, implicit, limits_.idle_timeout, 10s,
                                 limits_.max_connections};
    auto* running = r.get();
    auto listening =
        r->base->listen(ctx, options, [running, config]() -> std::shared_ptr<net::Conversation> {
          return std::make_shared<NetConversation>(running->services, running->base->workers(),
                                                   config);
        });
    if (!listening) return listening.error();
  }
  running_ = std::move(r);
  return {};
}

Health Pop3dService::health() {
  return running_ ? running_->base->health() : Health{false, "starting"};
}

void Pop3dService::stop() {
  if (!running_) return;
  running_->stopping = true;  // a RETR waiting for its client gives up
  running_->base->stop("Server shutting down");
}

}  // namespace appliance::pop3d
