// NAME
//   async_lane.h - one keyd connection for requests nobody waits for.
//
// DESCRIPTION
//   AsyncLane::call() queues a frame and returns at once; the reply goes to
//   a completion. No thread is blocked per request: the lane has one thread
//   of its own that reads the connection and runs the completions, in the
//   order of the requests (keyd answers a connection's frames in order).
//   It wakes once per batch of replies, not once per reply.
//
//   The calling thread writes its frame itself, unless another thread is
//   writing or the lane's thread is running completions: the frame then goes
//   out with that thread's next write, so requests made from completions
//   (a caller that keeps a number of requests in flight) leave in one send
//   per batch.
//
//   Completions run on the lane's thread: they must not block (no lane
//   call of the blocking kind, no store, no lock held for long). A daemon
//   posts the rest of its work to its own executor.
//
//   Only requests that may be sent twice use a lane: when the connection
//   breaks, its thread connects again and sends every unanswered request
//   again, for up to `patience` after each was made; then the completion
//   gets the error. Connections refused or broken before a reply are tried
//   again after a pause that grows to half a second. A connection that carries requests but answers
//   none for `timeout` counts as broken.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/ipc.h"
#include "common/result.h"

namespace appliance::keyd {

class AsyncLane {
 public:
  using Completion = std::function<void(Result<ipc::Message>)>;

  AsyncLane(std::string socket_path, std::chrono::milliseconds timeout,
            std::chrono::milliseconds patience);
  // Requests still unanswered complete with an error first.
  ~AsyncLane();
  AsyncLane(const AsyncLane&) = delete;
  AsyncLane& operator=(const AsyncLane&) = delete;

  // Sends one encoded frame; `done` gets its reply, or why there is none.
  void call(std::string frame, Completion done);

 private:
  using Clock = std::chrono::steady_clock;
  struct Pending {
    std::string frame;
    Completion done;
    Clock::time_point deadline;
  };
  using Finished = std::vector<std::pair<Completion, Result<ipc::Message>>>;

  void run();
  Result<void> connect(std::unique_lock<std::mutex>& lock);
  void disconnect(std::unique_lock<std::mutex>& lock, Finished& finished);
  bool receive(std::unique_lock<std::mutex>& lock, Finished& finished);
  void flush(std::unique_lock<std::mutex>& lock);
  void expire(Clock::time_point now, const std::string& reason, Finished& finished);
  void complete(std::unique_lock<std::mutex>& lock, Finished& finished);

  const std::string path_;
  const std::chrono::milliseconds timeout_, patience_;
  std::mutex mutex_;
  std::condition_variable wake_;       // the lane's thread: work, or stop
  std::condition_variable writer_;     // a write ended
  std::deque<Pending> pending_;        // in the order they were sent (or are to be)
  std::string unsent_;                 // frames of pending_'s tail not written yet
  std::optional<ipc::Client> client_;  // replaced only by the lane's thread, with no writer
  bool writing_ = false, completing_ = false, broken_ = false, stopping_ = false;
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace appliance::keyd
