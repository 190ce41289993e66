// NAME
//   script_link.h - a Link without a socket, for unit tests of conversations.
//
// DESCRIPTION
//   What the conversation sends is collected in `sent`; start_tls() succeeds
//   at once (or fails, with tls_fails) and marks the peer as TLS; close() is
//   recorded. post() may come from worker threads: the job is queued, and
//   run_posted() runs queued jobs on the test's thread, waiting up to
//   `timeout` for at least one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <utility>

#include "net/link.h"

namespace appliance::net::testing {

class ScriptLink final : public Link {
 public:
  explicit ScriptLink(Peer peer = {.address = "192.0.2.7", .port = 40000, .listener = "test"})
      : peer_(std::move(peer)) {}

  void send(std::string bytes) override { sent += bytes; }
  void start_tls(std::function<void(bool ok)> done) override {
    if (!tls_fails) {
      peer_.tls = true;
      peer_.tls_version = "TLSv1.3";
      peer_.tls_cipher = "TLS_AES_256_GCM_SHA384";
    }
    done(!tls_fails);
  }
  void close() override { closed = true; }
  void post(std::function<void()> fn) override {
    std::lock_guard lock(mutex_);
    posted_.push_back(std::move(fn));
    wake_.notify_all();
  }
  const Peer& peer() const override { return peer_; }

  // Runs posted jobs; returns how many ran (0: none came within timeout).
  int run_posted(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::deque<std::function<void()>> jobs;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, timeout, [&] { return !posted_.empty(); });
      jobs.swap(posted_);
    }
    for (auto& job : jobs) job();
    return static_cast<int>(jobs.size());
  }
  // The text sent so far, which is then forgotten.
  std::string take() { return std::exchange(sent, {}); }

  std::string sent;
  bool closed = false;
  bool tls_fails = false;

 private:
  Peer peer_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> posted_;
};

}  // namespace appliance::net::testing
