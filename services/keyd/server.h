// NAME
//   server.h - keyd's socket: a thread per connection.
//
// DESCRIPTION
//   Daemons hold a few long-lived connections each (client.h), so a thread
//   per connection is simple and fast: the thread owns its Worker, hence its
//   PKCS#11 session, and a request never waits for another thread. At most
//   kMaxConnections at once; more are refused.
#pragma once

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "keyd/broker.h"

namespace appliance::keyd {

constexpr int kMaxConnections = 256;

class Server {
 public:
  Server(Broker& broker, int listen_fd) : broker_(broker), listen_fd_(listen_fd) {}
  ~Server();
  void start();
  void stop();

 private:
  void accept_loop();
  void serve(int fd);

  Broker& broker_;
  int listen_fd_;
  std::thread acceptor_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::mutex mutex_;
  std::set<int> open_;  // connection fds, shut down by stop()
};

}  // namespace appliance::keyd
