// NAME
//   deliverd.cpp - the store, the resolver and the queue timer.
#include "deliverd/deliverd.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <ctime>

#include "common/log.h"
#include "deliverd/queue_run.h"
#include "dns/cares_resolver.h"
#include "net/mail_base.h"

namespace appliance::deliverd {

// Destroyed in reverse: the base's workers (joined) first, then what they used.
struct DeliverdService::Running {
  std::unique_ptr<dns::Resolver> resolver;
  std::unique_ptr<QueueRunner> runner;
  std::unique_ptr<dkim::KeydKeys> dkim_keys;
  std::unique_ptr<dkim::KeydSigner> signer;
  std::unique_ptr<boost::asio::steady_timer> timer;
  std::atomic<bool> busy{false}, stopping{false};
  std::atomic<std::uint64_t> passes{0}, delivered{0}, deferred{0}, bounced{0}, errors{0};
  std::unique_ptr<net::MailBase> base;
};

DeliverdService::DeliverdService() = default;
DeliverdService::~DeliverdService() = default;

void DeliverdService::configure(config::Reader& s) {
  settings_.port = static_cast<std::uint16_t>(s.integer("port", 1, 65535, 25));
  auto routes = parse_routes(s.string("routes", ""));
  if (routes)
    settings_.routes = std::move(*routes);
  else
    routes_error_ = make_error("[deliverd] routes: " + routes.message());
  poll_ = std::chrono::seconds(s.integer("poll", 1, 3600, 10));
  schedule_.first = s.integer("retry_first", 1, 86400, schedule_.first);
  schedule_.longest = s.integer("retry_longest", 1, 7 * 86400, schedule_.longest);
  schedule_.lifetime = s.integer("lifetime", 60, 30 * 86400, schedule_.lifetime);
  schedule_.delay_notice = s.integer("delay_notice", 0, 30 * 86400, schedule_.delay_notice);
  settings_.client.connect_timeout = std::chrono::seconds(s.integer("connect_timeout", 1, 600, 30));
  settings_.client.io_timeout = std::chrono::seconds(s.integer("io_timeout", 1, 3600, 300));
  settings_.client.ca_file = s.string("tls_ca_file", "");
  settings_.dane = s.boolean("dane", true);
  mta_sts_ = s.boolean("mta_sts", true);
  fetch_.port = static_cast<std::uint16_t>(s.integer("mta_sts_port", 1, 65535, 443));
  fetch_.timeout = std::chrono::seconds(s.integer("mta_sts_timeout", 1, 600, 60));
  settings_.messages_per_connection =
      static_cast<unsigned>(s.integer("messages_per_connection", 1, 10000, 100));
  lanes_.total = static_cast<unsigned>(s.integer("parallel", 1, 100, lanes_.total));
  lanes_.per_domain =
      static_cast<unsigned>(s.integer("parallel_per_domain", 1, 100, lanes_.per_domain));
}

Result<void> DeliverdService::pre_init(DaemonContext&) {
  if (routes_error_) return *routes_error_;
  return {};
}

Result<void> DeliverdService::post_init(DaemonContext& ctx) {
  auto r = std::make_unique<Running>();
  auto options = dns::read_options(ctx.config);
  if (!options) return options.error();
  auto resolver = dns::CaresResolver::create(*options);
  if (!resolver) return resolver.error();
  r->resolver = std::move(*resolver);
  auto base = net::MailBase::open(ctx, 1);
  if (!base) return base.error();
  settings_.hostname = (*base)->hostname();
  if (auto ctx = client_context(settings_.client); !ctx) return ctx.error();  // a bad CA bundle
  if (mta_sts_) {
    fetch_.client = settings_.client;
    fetch_.client.io_timeout = std::min(fetch_.client.io_timeout, fetch_.timeout);
    settings_.sts = std::make_shared<StsPolicies>(
        [o = fetch_](dns::Resolver& dns, const std::string& domain) {
          return fetch_policy(dns, domain, o);
        },
        [] { return static_cast<std::int64_t>(std::time(nullptr)); }, ctx.paths.mta_sts_cache());
  }
  r->runner =
      std::make_unique<QueueRunner>((*base)->store(), *r->resolver, settings_, schedule_,
                                    [] { return static_cast<std::int64_t>(std::time(nullptr)); });
  r->runner->stop_on(&r->stopping);
  r->runner->set_lanes(lanes_);
  r->dkim_keys = std::make_unique<dkim::KeydKeys>((*base)->store(), (*base)->keyd());
  r->signer = std::make_unique<dkim::KeydSigner>(dkim::KeydSigner{*r->dkim_keys, (*base)->keyd()});
  r->runner->sign_with(r->signer.get());
  r->base = std::move(*base);
  r->timer = std::make_unique<boost::asio::steady_timer>(ctx.io);
  running_ = std::move(r);
  log::info("delivering", {{"poll", poll_.count()},
                           {"port", settings_.port},
                           {"dane", settings_.dane},
                           {"mta_sts", mta_sts_},
                           {"parallel", lanes_.total},
                           {"parallel_per_domain", lanes_.per_domain},
                           {"dns", options->servers.empty() ? "resolv.conf" : options->servers}});
  pass();
  return {};
}

void DeliverdService::arm() {
  running_->timer->expires_after(poll_);
  running_->timer->async_wait([this](const boost::system::error_code& ec) {
    if (!ec && running_ && !running_->stopping) pass();
  });
}

void DeliverdService::pass() {
  Running* r = running_.get();
  if (!r->busy.exchange(true))
    r->base->workers().run([r] {
      auto c = r->runner->run_once();
      r->passes++, r->delivered += c.delivered, r->deferred += c.deferred;
      r->bounced += c.bounced, r->errors += c.errors;
      r->busy = false;
    });
  arm();
}

Health DeliverdService::health() {
  if (!running_) return {false, "starting"};
  Running& r = *running_;
  return {true, fmt::format("{} passes, {} delivered, {} deferred, {} bounced, {} errors",
                            r.passes.load(), r.delivered.load(), r.deferred.load(),
                            r.bounced.load(), r.errors.load())};
}

void DeliverdService::stop() {
  if (!running_) return;
  running_->stopping = true;
  running_->timer->cancel();
}

}  // namespace appliance::deliverd
