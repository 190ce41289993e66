// NAME
//   smtpd.cpp - the store, TLS, the account service, workers and the three
//   listeners of the SMTP daemon.
#include "smtpd/smtpd.h"

#include <fmt/format.h>

#include "auth/daemon_logins.h"
#include "common/log.h"
#include "dns/cares_resolver.h"
#include "dns/ttl_cache.h"
#include "net/mail_base.h"
#include "smtpd/conversation.h"

namespace appliance::smtpd {

using namespace std::chrono_literals;

// Destroyed in reverse: the base's listeners and workers first, then what they used.
struct SmtpdService::Running {
  std::unique_ptr<auth::DaemonLogins> accounts;
  std::unique_ptr<DkimKeys> dkim_keys;
  std::unique_ptr<DkimSigner> dkim;
  std::unique_ptr<dns::Resolver> resolver;
  std::unique_ptr<ContentFilter> filter;
  std::unique_ptr<dns::TtlCache> answers;  // over `resolver`: one sender domain, many messages
  Backends backends;
  std::unique_ptr<net::MailBase> base;
};

SmtpdService::SmtpdService() = default;
SmtpdService::~SmtpdService() = default;

std::vector<std::string> SmtpdService::listener_names() const {
  return {"smtp", "submission", "submissions"};
}

void SmtpdService::configure(config::Reader& s) {
  settings_ = read_settings(s);
}

Result<void> SmtpdService::configure_shared(const config::Document& doc) {
  return auth::read_account_settings(doc, accounts_);
}

smtp::SessionConfig SmtpdService::session_config(const std::string& listener,
                                                 const std::string& hostname) const {
  smtp::SessionConfig c;
  c.mode = listener == "smtp" ? smtp::Mode::mx : smtp::Mode::submission;
  c.hostname = hostname;
  c.max_message_size = settings_.max_message_size;
  c.max_recipients = settings_.max_recipients;
  c.implicit_tls = listener == "submissions";
  return c;
}

namespace {

Result<std::unique_ptr<dns::Resolver>> open_resolver(DaemonContext& ctx) {
  auto options = dns::read_options(ctx.config);
  if (!options) return options.error();
  auto resolver = dns::CaresResolver::create(*options);
  if (!resolver) return resolver.error();
  return std::unique_ptr<dns::Resolver>(std::move(*resolver));
}

}  // namespace

Result<void> SmtpdService::post_init(DaemonContext& ctx) {
  auto r = std::make_unique<Running>();
  auto base = net::MailBase::open(ctx, settings_.workers);
  if (!base) return base.error();
  r->accounts = std::make_unique<auth::DaemonLogins>((*base)->store(), (*base)->keyd(), accounts_);
  net::Workers* workers = &(*base)->workers();
  r->backends = {&(*base)->store(), &r->accounts->directory(), &r->accounts->service(),
                 [workers](std::function<void()> fn) { workers->run(std::move(fn)); },
                 config::Reader(ctx.config, "appliance").string("domain", "example.test")};
  r->dkim_keys = std::make_unique<DkimKeys>((*base)->store(), (*base)->keyd());
  r->dkim = std::make_unique<DkimSigner>(DkimSigner{*r->dkim_keys, (*base)->keyd()});
  r->backends.dkim = r->dkim.get();
  r->backends.spool = std::filesystem::temp_directory_path();
  r->backends.sending = settings_.sending;
  r->backends.dmarc = settings_.dmarc;
  if (auto resolver = open_resolver(ctx)) {
    r->resolver = std::move(*resolver);
    r->answers = std::make_unique<dns::TtlCache>(*r->resolver);
    r->backends.resolver = r->answers.get();
  } else {
    log::warning("mail on the MX port is not checked (SPF, DKIM, DMARC)",
                 {{"error", resolver.message()}});
  }
  if (!settings_.filter.url.empty()) {
    if (!r->resolver)
      return make_error("[smtpd] rspamd is set, but MX mail cannot be held for it without [dns]");
    FilterOptions options = settings_.filter;
    options.mta_name = (*base)->hostname();
    r->filter = std::make_unique<RspamdFilter>(options);
    r->backends.filter = r->filter.get();
    log::info("mail on the MX port is scanned by rspamd", {{"url", settings_.filter.url}});
  }
  r->base = std::move(*base);

  for (const std::string& name : listener_names()) {
    net::ListenerOptions options{.name = name,
                                 .implicit_tls = name == "submissions",
                                 .idle_timeout = settings_.idle_timeout,
                                 .max_connections = settings_.max_connections};
    smtp::SessionConfig config = session_config(name, r->base->hostname());
    const Backends* backends = &r->backends;
    auto listening = r->base->listen(ctx, options, [backends, config] {
      return std::make_shared<SmtpConversation>(*backends, config);
    });
    if (!listening) return listening.error();
  }
  running_ = std::move(r);
  return {};
}

Health SmtpdService::health() {
  if (!running_) return {false, "starting"};
  return {true, fmt::format("serving as {}, {} connections", running_->base->hostname(),
                            running_->base->connections())};
}

// Conversations say goodbye; the skeleton keeps the loop running until they
// are done, and the loop outlives this service.
void SmtpdService::stop() {
  if (!running_) return;
  running_->base->stop("Server shutting down");
}

}  // namespace appliance::smtpd
