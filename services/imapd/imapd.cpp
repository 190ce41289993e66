// NAME
//   imapd.cpp - logins, the IDLE ticker and the two listeners on the mail base.
#include "imapd/imapd.h"

#include "auth/daemon_logins.h"
#include "imapd/conversation.h"
#include "net/adapter.h"
#include "net/mail_base.h"

namespace appliance::imapd {

using namespace std::chrono_literals;

// Destroyed in reverse: the base's listeners and workers first, then the ticker and logins.
struct ImapdService::Running {
  std::unique_ptr<auth::DaemonLogins> logins;
  IdleHub idle;
  Services services;
  std::unique_ptr<net::MailBase> base;
};

using NetConversation = net::Adapter<imapd::Conversation, Io, Services, imap::SessionConfig>;

ImapdService::ImapdService() = default;
ImapdService::~ImapdService() = default;

void ImapdService::configure(config::Reader& section) {
  limits_ = net::ListenerLimits::read(section, 60, 86400, 1800);
  idle_poll_ms_ = static_cast<int>(section.integer("idle_poll_ms", 50, 60000, 500));
}

Result<void> ImapdService::configure_shared(const config::Document& doc) {
  return auth::read_account_settings(doc, accounts_);
}

Result<void> ImapdService::post_init(DaemonContext& ctx) {
  auto r = std::make_unique<Running>();
  auto base = net::MailBase::open(ctx, limits_.workers);
  if (!base) return base.error();
  r->logins = std::make_unique<auth::DaemonLogins>((*base)->store(), (*base)->keyd(), accounts_);
  r->services = {&r->logins->service(), &(*base)->store(), &r->idle};
  r->base = std::move(*base);
  r->idle.run(std::chrono::milliseconds(idle_poll_ms_));

  for (const std::string& name : listener_names()) {
    bool implicit = name == "imaps";
    imap::SessionConfig config;
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

Health ImapdService::health() {
  return running_ ? running_->base->health() : Health{false, "starting"};
}

void ImapdService::stop() {
  if (!running_) return;
  running_->base->stop("Server shutting down");
  running_->idle.stop();
}

}  // namespace appliance::imapd
