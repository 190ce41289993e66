// NAME
//   webd.cpp - the mail base, the site and the two listeners.
#include "webd/webd.h"

#include <nlohmann/json.hpp>

#include <fstream>

#include "common/health_report.h"
#include "common/log.h"
#include "net/mail_base.h"
#include "webd/conversation.h"
#include "webd/operations.h"
#include "webd/recent.h"
#include "webd/site.h"
#include "webd/store_totals.h"
#include "webd/web_accounts.h"

namespace appliance::webd {

using namespace std::chrono_literals;

// Destroyed in reverse: the base's listeners and workers first, then the accounts.
struct WebdService::Running {
  Site site;
  Operations ops;
  std::unique_ptr<WebAccounts> accounts;
  std::unique_ptr<RecentAnswers> recent;  // of the TLS listener's API
  std::unique_ptr<net::MailBase> base;
};

namespace {

// Public listeners as the supervisor published them; empty on a box.
std::map<std::string, std::string> published_endpoints(const Paths& paths) {
  std::ifstream in(paths.endpoints());
  auto j = nlohmann::json::parse(in, nullptr, false);
  std::map<std::string, std::string> out;
  if (j.is_object())
    for (const auto& [name, address] : j.items())
      if (address.is_string()) out[name] = address.get<std::string>();
  return out;
}

int port_of(const std::string& address) {
  auto colon = address.rfind(':');
  return colon == std::string::npos ? 443 : std::atoi(address.c_str() + colon + 1);
}

// The dashboard's sources: health reports, the store's folder, keyd's certificate.
Operations operations(const Paths& paths, keyd::KeydClient& keyd, const std::string& hostname) {
  Operations ops;
  ops.health_dir = paths.health_dir();
  ops.store_dir = paths.store_dir();
  ops.update_status = paths.update_status();
  ops.reboot_request = paths.reboot_request();
  ops.boottime_ms = [] { return boottime_ms(); };
  auto boot = read_boot_id();
  ops.boot_id = boot ? *boot : "";
  ops.certificates = [&keyd, key = "tls/" + hostname] {
    auto pub = keyd.public_key(key);
    if (!pub) return std::vector<Certificate>{{key, "", 0, pub.message()}};
    auto leaf = leaf_certificate(key, pub->chain_pem);
    if (!leaf) return std::vector<Certificate>{{key, "", 0, leaf.message()}};
    return std::vector<Certificate>{*leaf};
  };
  return ops;
}

std::optional<auth::BreachedList> open_breached_list() {
  auto list = auth::BreachedList::open(breached_list_path());
  if (list) return std::move(*list);
  log::warning("no breached-password list: new passwords are not checked against one",
               {{"reason", list.message()}});
  return std::nullopt;
}

}  // namespace

WebdService::WebdService() = default;
WebdService::~WebdService() = default;

void WebdService::configure(config::Reader& section) {
  limits_ = net::ListenerLimits::read(section, 5, 3600, 60);
}

Result<void> WebdService::post_init(DaemonContext& ctx) {
  auto r = std::make_unique<Running>();
  auto base = net::MailBase::open(ctx, limits_.workers);
  if (!base) return base.error();
  r->base = std::move(*base);
  std::string domain = config::Reader(ctx.config, "appliance").string("domain", "example.test");
  auto endpoints = published_endpoints(ctx.paths);
  r->site.mail = endpoints.empty() ? MailSettings{r->base->hostname(), domain}
                                   : mail_settings(r->base->hostname(), domain, endpoints);
  auto* store = &r->base->store();
  r->site.mail.serves = [store](std::string_view d) { return store->find_domain(d).ok(); };
  r->accounts = std::make_unique<WebAccounts>(*store, r->base->keyd(), r->base->hostname(),
                                              open_breached_list());
  r->ops = operations(ctx.paths, r->base->keyd(), r->base->hostname());
  r->ops.totals = std::make_shared<StoreTotals>();
  if (auto started = start_totals(*store, *r->ops.totals, r->accounts->parts().clock.unix_seconds());
      !started)
    log::warning("the counters of /metrics start at its first reading",
                 {{"reason", started.message()}});
  r->accounts->parts().ops = &r->ops;
  r->site.api = &r->accounts->parts();
  r->recent = std::make_unique<RecentAnswers>(r->accounts->parts().clock);
  if (auto web = endpoints.find("web"); web != endpoints.end())
    r->site.https_port = port_of(web->second);

  for (const std::string& name : listener_names()) {
    bool tls = name == "web";
    net::ListenerOptions options{name, tls, limits_.idle_timeout, 5s, limits_.max_connections};
    auto* running = r.get();
    Handler handler = [running, tls](const HttpRequest& request) {
      if (!tls) return handle_plain(request, running->site);
      return running->recent->answer(
          request, [running](const HttpRequest& r) { return handle_request(r, running->site); });
    };
    Recall recall;
    if (tls)
      recall = [running](const HttpRequest& request, bool keep_alive) {
        return running->recent->recall(request, keep_alive);
      };
    auto listening = r->base->listen(
        ctx, options, [running, handler, recall]() -> std::shared_ptr<net::Conversation> {
          return std::make_shared<WebConversation>(handler, recall, running->base->workers());
        });
    if (!listening) return listening.error();
  }
  running_ = std::move(r);
  return {};
}

Health WebdService::health() {
  return running_ ? running_->base->health() : Health{false, "starting"};
}

void WebdService::stop() {
  if (running_) running_->base->stop("shutting down");
}

}  // namespace appliance::webd
