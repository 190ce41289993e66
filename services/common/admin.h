// NAME
//   admin.h - the admin socket every daemon serves.
//
// DESCRIPTION
//   AdminServer accepts connections on a unix socket and answers framed
//   requests (common/ipc.h) through a handler; health_request is answered by
//   every daemon. query_health() is the client side, used by the supervisor,
//   `appliance status` and `appliancectl health`.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/daemon.h"
#include "common/ipc.h"

namespace appliance {

// Builds the reply to one request; returning nullopt closes the connection.
using AdminHandler = std::function<ipc::Writer(const ipc::Message&, const ipc::PeerCred&)>;

class AdminServer {
 public:
  // Takes ownership of a listening unix socket.
  AdminServer(boost::asio::io_context& io, int listen_fd, AdminHandler handler);
  ~AdminServer();
  void start();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

ipc::Writer health_reply(const std::string& daemon, const Health& health);
ipc::Writer error_reply(const std::string& message);

struct DaemonHealth {
  std::string daemon;
  Health health;
};
Result<DaemonHealth> query_health(const std::string& socket_path,
                                  std::chrono::milliseconds timeout);

}  // namespace appliance
