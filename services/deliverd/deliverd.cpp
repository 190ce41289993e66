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
  auto read = read_settings(s);
  if (read)
    config_ = std::move(*read);
  else
    error_ = read.error();
}

Result<void> DeliverdService::pre_init(DaemonContext&) {
  if (error_) return *error_;
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
  config_.attempt.hostname = (*base)->hostname();
  if (auto ctx = client_context(config_.attempt.client); !ctx)
    return ctx.error();  // a bad CA bundle
  if (config_.mta_sts) {
    config_.fetch.client = config_.attempt.client;
    config_.fetch.client.io_timeout =
        std::min(config_.fetch.client.io_timeout, config_.fetch.timeout);
    config_.attempt.sts = std::make_shared<StsPolicies>(
        [o = config_.fetch](dns::Resolver& dns, const std::string& domain) {
          return fetch_policy(dns, domain, o);
        },
        [] { return static_cast<std::int64_t>(std::time(nullptr)); }, ctx.paths.mta_sts_cache());
  }
  r->runner = std::make_unique<QueueRunner>(
      (*base)->store(), *r->resolver, config_.attempt, config_.schedule,
      [] { return static_cast<std::int64_t>(std::time(nullptr)); });
  r->runner->stop_on(&r->stopping);
  Lanes lanes = config_.lanes;
  lanes.rescan = config_.poll;
  r->runner->set_lanes(lanes);
  r->dkim_keys = std::make_unique<dkim::KeydKeys>((*base)->store(), (*base)->keyd());
  r->signer = std::make_unique<dkim::KeydSigner>(dkim::KeydSigner{*r->dkim_keys, (*base)->keyd()});
  r->runner->sign_with(r->signer.get());
  r->base = std::move(*base);
  r->timer = std::make_unique<boost::asio::steady_timer>(ctx.io);
  running_ = std::move(r);
  log::info("delivering", {{"poll", config_.poll.count()},
                           {"port", config_.attempt.port},
                           {"dane", config_.attempt.dane},
                           {"mta_sts", config_.mta_sts},
                           {"parallel", config_.lanes.total},
                           {"parallel_per_domain", config_.lanes.per_domain},
                           {"dns", options->servers.empty() ? "resolv.conf" : options->servers}});
  pass();
  return {};
}

void DeliverdService::arm() {
  running_->timer->expires_after(config_.poll);
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
