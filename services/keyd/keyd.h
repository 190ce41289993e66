// NAME
//   keyd.h - the key broker service.
//
// DESCRIPTION
//   Holds the token PIN and the only PKCS#11 sessions of the appliance. As
//   root it reads the PIN and binds its socket (run/keyd.sock, mode 0666:
//   every caller is authorised per key by its uid); then, as its own user, it
//   opens the token and answers requests (server.h). While the token cannot
//   be opened (missing, wrong PIN) it reports not ready with the reason, tries
//   again every few seconds, and answers requests with that reason.
#pragma once

#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <optional>

#include "common/daemon.h"
#include "keyd/acl.h"
#include "keyd/broker.h"
#include "keyd/registry.h"
#include "keyd/server.h"
#include "keyd/token_owner.h"

namespace appliance::keyd {

class KeydService : public Service {
 public:
  void configure(config::Reader& section) override;
  Result<void> pre_init(DaemonContext& ctx) override;
  Result<void> post_init(DaemonContext& ctx) override;
  Health health() override;
  void stop() override;

  const TokenSettings& token_settings() const { return settings_; }

 private:
  void try_open();

  TokenSettings settings_;
  std::string hostname_;
  Secret pin_;
  int socket_fd_ = -1;
  std::optional<TokenOwner> token_;
  std::optional<Registry> registry_;
  std::optional<Acl> acl_;
  std::optional<Broker> broker_;
  std::unique_ptr<Server> server_;
  std::optional<boost::asio::steady_timer> retry_;
  std::string last_reason_;
};

// daemon -> uid of the users the configuration names (default appliance-<daemon>).
std::map<std::string, uid_t> daemon_uids(const config::Document& doc);

// The uid whose requests are administrative: root, unless every process runs
// as one unprivileged developer.
uid_t admin_uid(const config::Document& doc);

}  // namespace appliance::keyd
