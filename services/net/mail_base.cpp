// NAME
//   mail_base.cpp - keyd, the store, TLS, workers and listeners of a mail daemon.
#include "net/mail_base.h"

#include <fmt/format.h>

#include "common/log.h"
#include "store/open.h"

namespace appliance::net {

using namespace std::chrono_literals;

Result<std::unique_ptr<MailBase>> MailBase::open(const DaemonContext& ctx, std::size_t workers) {
  std::unique_ptr<MailBase> b(new MailBase);
  b->hostname_ = config::Reader(ctx.config, "appliance").string("hostname", "mail.example.test");
  b->keyd_ = std::make_unique<keyd::KeydClient>(ctx.paths.keyd_socket().string(), 5s);
  b->keys_ = std::make_unique<store::KeydDataKeySource>(*b->keyd_);
  auto store = store::open_configured(ctx.paths, ctx.store, b->keys_.get());
  if (!store) return make_error("store: " + store.message());
  b->store_ = std::move(*store);
  auto tls = tls::TlsContextSet::open(tls::keyd_key_service(ctx.paths.keyd_socket().string()),
                                      {b->hostname_});
  if (!tls) return make_error("TLS for " + b->hostname_ + ": " + tls.message());
  b->tls_ = std::move(*tls);
  b->tls_->poll_every(60s);  // a rotated key serves new connections within a minute
  b->workers_ = std::make_unique<Workers>(workers);
  return b;
}

MailBase::~MailBase() {
  servers_.clear();
  if (workers_) workers_->join();
}

Result<void> MailBase::listen(const DaemonContext& ctx, ListenerOptions options,
                              ConversationFactory factory) {
  auto fd = ctx.listeners.find(options.name);
  if (fd == ctx.listeners.end()) return make_error("no listener " + options.name);
  std::string name = options.name;
  bool implicit = options.implicit_tls;
  auto* contexts = tls_.get();
  auto server = std::make_unique<Server>(
      ctx.io, std::move(options), [contexts] { return contexts->current(); }, std::move(factory));
  if (auto started = server->start(fd->second); !started)
    return make_error(fmt::format("listener {}: {}", name, started.message()));
  log::info("listening", {{"name", name}, {"tls", implicit ? "implicit" : "on request"}});
  servers_.push_back(std::move(server));
  return {};
}

void MailBase::stop(std::string_view why) {
  for (const auto& s : servers_) s->stop(why);
}

std::size_t MailBase::connections() const {
  std::size_t n = 0;
  for (const auto& s : servers_) n += s->connections();
  return n;
}

Health MailBase::health() const {
  return {true, fmt::format("{} connections", connections())};
}

}  // namespace appliance::net
