// NAME
//   lane.h - one connection to keyd shared by many threads.
//
// DESCRIPTION
//   keyd answers the frames of a connection in the order they came, so a
//   connection can carry many requests at once: each caller appends its
//   frame and waits for the reply in its place in line. Nobody runs a reader
//   thread: the first caller still waiting reads for everyone (a leader),
//   hands each reply to its owner, and passes the role on when its own reply
//   has come. Frames written while another caller is sending go out with
//   that caller's next write, so under load one send and one recv carry many
//   requests; a lone caller pays one of each, as on a private connection.
//   A caller whose reply is not in yet yields the processor a while (about
//   200 times) before it sleeps: a futex sleep and wake-up costs more than a
//   round trip to keyd, on a virtual machine several times more (measured:
//   HMAC verifies through keyd with 32 threads went from 23,000/s to
//   35,000-56,000/s).
//
//   When the connection breaks, every request on it fails with the reason
//   and the next call opens a new one; whether to send a failed request
//   again is the caller's decision (KeydClient's).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/ipc.h"
#include "common/result.h"

namespace appliance::keyd {

class Lane {
 public:
  Lane(std::string socket_path, std::chrono::milliseconds timeout);
  ~Lane();
  Lane(const Lane&) = delete;
  Lane& operator=(const Lane&) = delete;

  // Sends one encoded frame and returns its reply.
  Result<ipc::Message> call(const std::string& frame);

 private:
  struct Waiter;
  struct Connection;

  Result<std::shared_ptr<Connection>> connection(std::unique_lock<std::mutex>& lock);
  void flush(Connection& c, std::unique_lock<std::mutex>& lock);
  void read_for(Connection& c, Waiter& self, std::unique_lock<std::mutex>& lock);
  void fail_all(Connection& c, const std::string& reason);

  std::string path_;
  std::chrono::milliseconds timeout_;
  std::mutex mutex_;  // guards every Connection's queue and flags
  std::shared_ptr<Connection> current_;
};

// One reply (waiting up to `timeout` for it), then every reply already
// read with it: the replies of a batch, handed out under one lock.
Result<std::vector<ipc::Message>> read_replies(ipc::Client& client,
                                               std::chrono::milliseconds timeout);

}  // namespace appliance::keyd
