// NAME
//   smtpd.h - the SMTP daemon as a Service of the daemon skeleton.
//
// DESCRIPTION
//   Three listeners: "smtp" (MX, STARTTLS), "submission" (STARTTLS, AUTH
//   required) and "submissions" (implicit TLS, AUTH required). After the
//   privilege drop post_init() opens what every mail daemon opens
//   (net::MailBase: keyd, the configured store, the TLS contexts of the
//   appliance's host name, worker threads), then the account service, and
//   serves each connection with a SmtpConversation (conversation.h).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "auth/settings.h"
#include "common/daemon.h"
#include "proto/smtp/session.h"
#include "smtpd/settings.h"

namespace appliance::smtpd {

class SmtpdService final : public Service {
 public:
  SmtpdService();
  ~SmtpdService() override;

  std::vector<std::string> listener_names() const override;
  void configure(config::Reader& section) override;
  Result<void> configure_shared(const config::Document& doc) override;
  Result<void> post_init(DaemonContext& ctx) override;
  Health health() override;
  void stop() override;

 private:
  struct Running;
  smtp::SessionConfig session_config(const std::string& listener,
                                     const std::string& hostname) const;

  Settings settings_;
  auth::AccountSettings accounts_;  // [accounts]: password cost, sign-in notices
  std::unique_ptr<Running> running_;
};

}  // namespace appliance::smtpd
