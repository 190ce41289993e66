// NAME
//   imapd.h - the IMAP daemon as a Service of the daemon skeleton.
//
// DESCRIPTION
//   Listeners "imap" (143: STARTTLS; LOGIN and AUTHENTICATE refused before
//   TLS) and "imaps" (993: TLS from the first byte), served by
//   services/net. After the privilege drop post_init() opens the store (data
//   keys through keyd), the TLS contexts of the appliance's host name (keys
//   in keyd), the account service, the worker threads and the IDLE ticker,
//   and starts both listeners. Each connection is an imapd::Conversation
//   (conversation.h) behind a net::Conversation.
//
//   [imapd] keys: idle_timeout (seconds, default 1800: RFC 9051 5.4 asks
//   for at least 30 minutes), max_connections (default 1000), workers
//   (threads for logins and store calls, default 4), idle_poll_ms (how often
//   an idling connection looks for changes, default 500).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "auth/settings.h"
#include "common/daemon.h"
#include "net/limits.h"

namespace appliance::imapd {

class ImapdService final : public Service {
 public:
  ImapdService();
  ~ImapdService() override;

  std::vector<std::string> listener_names() const override { return {"imap", "imaps"}; }
  void configure(config::Reader& section) override;
  Result<void> configure_shared(const config::Document& doc) override;
  Result<void> post_init(DaemonContext& ctx) override;
  Health health() override;
  void stop() override;

 private:
  struct Running;
  net::ListenerLimits limits_;
  auth::AccountSettings accounts_;  // [accounts]: password cost, sign-in notices
  int idle_poll_ms_ = 500;
  std::unique_ptr<Running> running_;
};

}  // namespace appliance::imapd
