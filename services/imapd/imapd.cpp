// NAME
//   imapd.cpp - the store, TLS, logins, workers, the IDLE ticker and the two listeners.
#include "imapd/imapd.h"

#include <fmt/format.h>

#include "common/log.h"
#include "imapd/conversation.h"
#include "imapd/logins.h"
#include "keyd/client.h"
#include "net/adapter.h"
#include "net/server.h"
#include "net/workers.h"
#include "store/data_key.h"
#include "store/open.h"
#include "tls/context_set.h"

namespace appliance::imapd {

using namespace std::chrono_literals;

// Destroyed in reverse: listeners first, then the ticker and the workers, then what they used.
struct ImapdService::Running {
  std::string hostname;
  std::unique_ptr<keyd::KeydClient> keyd;
  std::unique_ptr<store::KeydDataKeySource> keys;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<tls::TlsContextSet> tls;
  std::unique_ptr<Logins> logins;
  Services services;
  std::unique_ptr<net::Workers> workers;
  IdleHub idle;
  std::vector<std::unique_ptr<net::Server>> servers;
};

using NetConversation = net::Adapter<imapd::Conversation, Io, Services, imap::SessionConfig>;

ImapdService::ImapdService() = default;
ImapdService::~ImapdService() = default;

void ImapdService::configure(config::Reader& section) {
  idle_timeout_ = static_cast<int>(section.integer("idle_timeout", 60, 86400, 1800));
  max_connections_ = static_cast<int>(section.integer("max_connections", 1, 100000, 1000));
  workers_ = static_cast<int>(section.integer("workers", 1, 256, 4));
  idle_poll_ms_ = static_cast<int>(section.integer("idle_poll_ms", 50, 60000, 500));
}

Result<void> ImapdService::post_init(DaemonContext& ctx) {
  auto r = std::make_unique<Running>();
  r->hostname = config::Reader(ctx.config, "appliance").string("hostname", "mail.example.test");
  r->keyd = std::make_unique<keyd::KeydClient>(ctx.paths.keyd_socket().string(), 5s);
  r->keys = std::make_unique<store::KeydDataKeySource>(*r->keyd);
  auto store = store::open_configured(ctx.paths, ctx.store, r->keys.get());
  if (!store) return make_error("store: " + store.message());
  r->store = std::move(*store);
  auto tls = tls::TlsContextSet::open(tls::keyd_key_service(ctx.paths.keyd_socket().string()),
                                      {r->hostname});
  if (!tls) return make_error("TLS for " + r->hostname + ": " + tls.message());
  r->tls = std::move(*tls);
  r->tls->poll_every(60s);  // a rotated key serves new connections within a minute
  auto logins = open_logins(*r->store, *r->keyd);
  if (!logins) return make_error("accounts: " + logins.message());
  r->logins = std::move(*logins);
  r->services = {&r->logins->service(), r->store.get(), &r->idle};
  r->workers = std::make_unique<net::Workers>(static_cast<std::size_t>(workers_));
  r->idle.run(std::chrono::milliseconds(idle_poll_ms_));

  for (const auto& [name, fd] : ctx.listeners) {
    bool implicit = name == "imaps";
    imap::SessionConfig config;
    config.hostname = r->hostname;
    config.implicit_tls = implicit;
    config.condstore = false;  // not yet: CHANGEDSINCE, UNCHANGEDSINCE and VANISHED are not done
    net::ListenerOptions options{name, implicit, std::chrono::seconds(idle_timeout_), 10s,
                                 static_cast<std::size_t>(max_connections_)};
    auto* running = r.get();
    auto server = std::make_unique<net::Server>(
        ctx.io, options, [running] { return running->tls->current(); },
        [running, config]() -> std::shared_ptr<net::Conversation> {
          return std::make_shared<NetConversation>(running->services, *running->workers, config);
        });
    if (auto started = server->start(fd); !started)
      return make_error(fmt::format("listener {}: {}", name, started.message()));
    log::info("listening", {{"name", name}, {"tls", implicit ? "implicit" : "STARTTLS"}});
    r->servers.push_back(std::move(server));
  }
  running_ = std::move(r);
  return {};
}

Health ImapdService::health() {
  if (!running_) return {false, "starting"};
  std::size_t connections = 0;
  for (const auto& s : running_->servers) connections += s->connections();
  return {true, fmt::format("{} connections", connections)};
}

void ImapdService::stop() {
  if (!running_) return;
  for (const auto& s : running_->servers) s->stop("Server shutting down");
  running_->idle.stop();
}

}  // namespace appliance::imapd
