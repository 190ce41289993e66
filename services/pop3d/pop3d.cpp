// NAME
//   pop3d.cpp - the store, TLS, logins, workers and the two listeners.
#include "pop3d/pop3d.h"

#include <fmt/format.h>

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
  idle_timeout_ = static_cast<int>(section.integer("idle_timeout", 60, 86400, 600));
  max_connections_ = static_cast<int>(section.integer("max_connections", 1, 100000, 1000));
  workers_ = static_cast<int>(section.integer("workers", 1, 256, 4));
}

Result<void> Pop3dService::post_init(DaemonContext& ctx) {
  auto r = std::make_unique<Running>();
  auto base = net::MailBase::open(ctx, static_cast<std::size_t>(workers_));
  if (!base) return base.error();
  r->logins = std::make_unique<auth::DaemonLogins>((*base)->store(), (*base)->keyd());
  r->services = {&r->logins->service(), &(*base)->store(), &r->stopping};
  r->base = std::move(*base);

  for (const std::string& name : listener_names()) {
    bool implicit = name == "pop3s";
    pop3::SessionConfig config;
    config.hostname = r->base->hostname();
    config.implicit_tls = implicit;
    net::ListenerOptions options{name, implicit, std::chrono::seconds(idle_timeout_), 10s,
                                 static_cast<std::size_t>(max_connections_)};
    auto* running = r.get();
    auto listening = r->base->listen(
        ctx, options, [running, config]() -> std::shared_ptr<net::Conversation> {
          return std::make_shared<NetConversation>(running->services, running->base->workers(),
                                                   config);
        });
    if (!listening) return listening.error();
  }
  running_ = std::move(r);
  return {};
}

Health Pop3dService::health() {
  if (!running_) return {false, "starting"};
  return {true, fmt::format("{} connections", running_->base->connections())};
}

void Pop3dService::stop() {
  if (!running_) return;
  running_->stopping = true;  // a RETR waiting for its client gives up
  running_->base->stop("Server shutting down");
}

}  // namespace appliance::pop3d
