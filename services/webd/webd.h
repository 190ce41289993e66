// NAME
//   webd.h - the web daemon as a Service of the daemon skeleton.
//
// DESCRIPTION
//   Listeners "web" (443: HTTPS, the key in keyd) and "http" (80: client
//   set-up, and a redirect to https for everything else). post_init() opens
//   the mail base (keyd, the store, TLS, workers) and serves site.h's routes;
//   the ports it describes to mail clients are the public listeners of
//   run/endpoints.json when the supervisor wrote one, else the standard
//   ports.
//
//   [webd] keys: idle_timeout (seconds, default 60), max_connections
//   (default 1000), workers (default 4).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/daemon.h"
#include "net/limits.h"

namespace appliance::webd {

class WebdService final : public Service {
 public:
  WebdService();
  ~WebdService() override;

  std::vector<std::string> listener_names() const override { return {"web", "http"}; }
  void configure(config::Reader& section) override;
  Result<void> post_init(DaemonContext& ctx) override;
  Health health() override;
  void stop() override;

 private:
  struct Running;
  net::ListenerLimits limits_;
  std::unique_ptr<Running> running_;
};

}  // namespace appliance::webd
