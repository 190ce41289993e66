// NAME
//   webd.cpp - the mail base, the site and the two listeners.
#include "webd/webd.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "net/mail_base.h"
#include "webd/conversation.h"
#include "webd/site.h"

namespace appliance::webd {

using namespace std::chrono_literals;

struct WebdService::Running {
  Site site;
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

}  // namespace

WebdService::WebdService() = default;
WebdService::~WebdService() = default;

void WebdService::configure(config::Reader& section) {
  idle_timeout_ = static_cast<int>(section.integer("idle_timeout", 5, 3600, 60));
  max_connections_ = static_cast<int>(section.integer("max_connections", 1, 100000, 1000));
  workers_ = static_cast<int>(section.integer("workers", 1, 256, 4));
}

Result<void> WebdService::post_init(DaemonContext& ctx) {
  auto r = std::make_unique<Running>();
  auto base = net::MailBase::open(ctx, static_cast<std::size_t>(workers_));
  if (!base) return base.error();
  r->base = std::move(*base);
  std::string domain = config::Reader(ctx.config, "appliance").string("domain", "example.test");
  auto endpoints = published_endpoints(ctx.paths);
  r->site.mail = endpoints.empty() ? MailSettings{r->base->hostname(), domain}
                                   : mail_settings(r->base->hostname(), domain, endpoints);
  auto* store = &r->base->store();
  r->site.mail.serves = [store](std::string_view d) { return store->find_domain(d).ok(); };
  if (auto web = endpoints.find("web"); web != endpoints.end())
    r->site.https_port = port_of(web->second);

  for (const std::string& name : listener_names()) {
    bool tls = name == "web";
    net::ListenerOptions options{name, tls, std::chrono::seconds(idle_timeout_), 5s,
                                 static_cast<std::size_t>(max_connections_)};
    auto* running = r.get();
    Handler handler = [running, tls](const HttpRequest& request) {
      return tls ? handle_request(request, running->site) : handle_plain(request, running->site);
    };
    auto listening =
        r->base->listen(ctx, options, [running, handler]() -> std::shared_ptr<net::Conversation> {
          return std::make_shared<WebConversation>(handler, running->base->workers());
        });
    if (!listening) return listening.error();
  }
  running_ = std::move(r);
  return {};
}

Health WebdService::health() {
  if (!running_) return {false, "starting"};
  return {true, fmt::format("{} connections", running_->base->connections())};
}

void WebdService::stop() {
  if (running_) running_->base->stop("shutting down");
}

}  // namespace appliance::webd
