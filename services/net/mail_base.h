// NAME
//   mail_base.h - what every mail daemon opens after its privilege drop.
//
// DESCRIPTION
//   smtpd, imapd and pop3d start the same way: a keyd client; the store the
//   configuration names, its data keys unwrapped by keyd; the TLS contexts
//   of the appliance's host name, their keys in keyd and renewed within a
//   minute of a rotation; worker threads for blocking work; then one
//   net::Server per listener the daemon inherited. MailBase holds them in
//   that order and takes them down in reverse: listeners, workers (joined),
//   TLS, store, keyd.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/daemon.h"
#include "common/result.h"
#include "keyd/client.h"
#include "net/server.h"
#include "net/workers.h"
#include "store/data_key.h"
#include "store/store.h"
#include "tls/context_set.h"

namespace appliance::net {

class MailBase {
 public:
  static Result<std::unique_ptr<MailBase>> open(const DaemonContext& ctx, std::size_t workers);
  ~MailBase();
  MailBase(const MailBase&) = delete;
  MailBase& operator=(const MailBase&) = delete;

  // Serves the inherited listener `options.name` with conversations from `factory`.
  Result<void> listen(const DaemonContext& ctx, ListenerOptions options,
                      ConversationFactory factory);
  // Every listener stops accepting; open conversations are asked to say goodbye.
  void stop(std::string_view why);
  std::size_t connections() const;
  // Ready, with the number of open connections.
  Health health() const;

  const std::string& hostname() const { return hostname_; }
  keyd::KeydClient& keyd() { return *keyd_; }
  store::Store& store() { return *store_; }
  tls::TlsContextSet& tls() { return *tls_; }
  Workers& workers() { return *workers_; }

 private:
  MailBase() = default;

  std::string hostname_;
  std::unique_ptr<keyd::KeydClient> keyd_;
  std::unique_ptr<store::KeydDataKeySource> keys_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<tls::TlsContextSet> tls_;
  std::unique_ptr<Workers> workers_;
  std::vector<std::unique_ptr<Server>> servers_;
};

}  // namespace appliance::net
