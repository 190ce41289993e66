// NAME
//   pop3d.h - the POP3 daemon as a Service of the daemon skeleton.
//
// DESCRIPTION
//   Listeners "pop3" (110: STLS) and "pop3s" (995: TLS from the first
//   byte), served by services/net. After the privilege drop post_init()
//   opens the store (data keys through keyd), the TLS contexts of the
//   appliance's host name (keys in keyd), the account service, the worker
//   threads, and starts both listeners. Each connection is a
//   pop3d::Conversation (conversation.h) behind a net::Conversation.
//
//   [pop3d] keys: idle_timeout (seconds, default 600: RFC 1939 3 asks for
//   at least 10 minutes), max_connections (default 1000), workers (threads
//   for logins and store calls, default 4).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "auth/settings.h"
#include "common/daemon.h"
#include "net/limits.h"

namespace appliance::pop3d {

class Pop3dService final : public Service {
 public:
  Pop3dService();
  ~Pop3dService() override;

  std::vector<std::string> listener_names() const override { return {"pop3", "pop3s"}; }
  void configure(config::Reader& section) override;
  Result<void> configure_shared(const config::Document& doc) override;
  Result<void> post_init(DaemonContext& ctx) override;
  Health health() override;
  void stop() override;

 private:
  struct Running;
  net::ListenerLimits limits_;
  auth::AccountSettings accounts_;  // [accounts]: password cost, sign-in notices
  std::unique_ptr<Running> running_;
};

}  // namespace appliance::pop3d
