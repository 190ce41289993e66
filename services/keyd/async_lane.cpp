// NAME
//   async_lane.cpp - requests in flight on one keyd connection, replies to
//   completions run by the lane's own thread.
#include "keyd/async_lane.h"

#include <algorithm>

#include "keyd/lane.h"

namespace appliance::keyd {

using namespace std::chrono_literals;

AsyncLane::AsyncLane(std::string socket_path, std::chrono::milliseconds timeout,
                     std::chrono::milliseconds patience)
    : path_(std::move(socket_path)),
      timeout_(timeout),
      patience_(patience),
      thread_([this] { run(); }) {}

AsyncLane::~AsyncLane() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (client_) client_->shutdown();  // wakes the thread's recv
  }
  wake_.notify_all();
  thread_.join();
}

void AsyncLane::call(std::string frame, Completion done) {
  std::unique_lock lock(mutex_);
  if (stopping_) {
    lock.unlock();
    done(make_error("keyd client closed"));
    return;
  }
  const bool idle = pending_.empty();
  unsent_ += frame;
  pending_.push_back({std::move(frame), std::move(done), Clock::now() + patience_});
  if (client_ && !broken_ && !writing_ && !completing_) flush(lock);
  if (idle || !client_) wake_.notify_one();  // the thread sleeps only when nothing is pending
}

// Writes what is queued, including frames queued meanwhile, in queue order.
void AsyncLane::flush(std::unique_lock<std::mutex>& lock) {
  writing_ = true;
  while (!unsent_.empty() && !broken_) {
    std::string batch;
    batch.swap(unsent_);
    lock.unlock();
    auto sent = client_->send_bytes(batch);  // client_ stays while writing_
    lock.lock();
    if (!sent) {
      broken_ = true;
      client_->shutdown();  // the thread sees it, connects again and resends
    }
  }
  writing_ = false;
  writer_.notify_all();
}

void AsyncLane::run() {
  std::unique_lock lock(mutex_);
  Finished finished;
  int failures = 0;  // in a row: connections refused or broken before a reply
  while (!stopping_) {
    if (pending_.empty()) {
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      continue;
    }
    if (!client_ || broken_) {
      if (failures > 0 &&
          wake_.wait_for(lock, std::min(50ms * failures, 500ms), [this] { return stopping_; }))
        break;
      auto connected = connect(lock);
      if (!connected) {
        expire(Clock::now(), connected.message(), finished);
        complete(lock, finished);
        ++failures;
        continue;
      }
    }
    failures = receive(lock, finished) ? 0 : failures + 1;
    complete(lock, finished);
  }
  for (Pending& p : pending_)
    finished.emplace_back(std::move(p.done), make_error("keyd client closed"));
  pending_.clear();
  complete(lock, finished);
}

// A new connection, on which every unanswered request goes again, in order.
Result<void> AsyncLane::connect(std::unique_lock<std::mutex>& lock) {
  writer_.wait(lock, [this] { return !writing_; });  // a writer may still hold the old one
  client_.reset();
  lock.unlock();
  auto client = ipc::Client::connect(path_, timeout_);
  lock.lock();
  if (!client) return client.error();
  client_.emplace(std::move(client).value());
  broken_ = false;
  unsent_.clear();
  for (const Pending& p : pending_) unsent_ += p.frame;
  flush(lock);
  return {};
}

// Waits for the next replies and takes them off the queue; false when the
// connection broke instead.
bool AsyncLane::receive(std::unique_lock<std::mutex>& lock, Finished& finished) {
  lock.unlock();
  auto replies = read_replies(*client_, timeout_);  // only this thread replaces client_
  lock.lock();
  if (!replies) {
    broken_ = true;
    expire(Clock::now(), replies.message(), finished);  // the others go again
    return false;
  }
  for (ipc::Message& reply : *replies) {
    if (pending_.empty()) {
      // Out of step: nothing on this connection can be trusted any more.
      broken_ = true;
      client_->shutdown();
      return false;
    }
    finished.emplace_back(std::move(pending_.front().done), std::move(reply));
    pending_.pop_front();
  }
  return true;
}

// Requests whose patience ran out, while no connection carries them.
void AsyncLane::expire(Clock::time_point now, const std::string& reason, Finished& finished) {
  while (!pending_.empty() && pending_.front().deadline <= now) {
    finished.emplace_back(std::move(pending_.front().done), make_error(reason));
    pending_.pop_front();
  }
}

// Runs the completions, then writes in one go what they (and others) asked meanwhile.
void AsyncLane::complete(std::unique_lock<std::mutex>& lock, Finished& finished) {
  if (finished.empty()) return;
  completing_ = true;
  lock.unlock();
  for (auto& [done, result] : finished) done(std::move(result));
  finished.clear();
  lock.lock();
  completing_ = false;
  if (!unsent_.empty() && client_ && !broken_ && !writing_) flush(lock);
}

}  // namespace appliance::keyd
