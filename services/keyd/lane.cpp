// NAME
//   lane.cpp - requests in flight on one keyd connection, replies in order.
#include "keyd/lane.h"

#include <atomic>
#include <optional>
#include <thread>
#include <vector>

namespace appliance::keyd {

constexpr int kYields = 200;

struct Lane::Waiter {
  std::condition_variable wake;
  std::optional<Result<ipc::Message>> reply;
  std::atomic<bool> ready{false};  // reply is set: read without the lock
};

struct Lane::Connection {
  explicit Connection(ipc::Client c) : client(std::move(c)) {}
  ipc::Client client;
  std::deque<Waiter*> waiting;  // in the order their frames were queued
  std::string unsent;           // frames queued while another caller was sending
  bool writing = false, reading = false, broken = false;
};

Lane::Lane(std::string socket_path, std::chrono::milliseconds timeout)
    : path_(std::move(socket_path)), timeout_(timeout) {}

Lane::~Lane() = default;

Result<ipc::Message> Lane::call(const std::string& frame) {
  Waiter self;
  std::unique_lock lock(mutex_);
  auto c = connection(lock);
  if (!c) return c.error();
  std::shared_ptr<Connection> conn = std::move(c).value();  // outlives a reconnect
  conn->waiting.push_back(&self);
  conn->unsent += frame;
  if (!conn->writing) flush(*conn, lock);
  read_for(*conn, self, lock);
  return std::move(*self.reply);
}

Result<std::shared_ptr<Lane::Connection>> Lane::connection(std::unique_lock<std::mutex>&) {
  if (current_ && !current_->broken) return current_;
  auto client = ipc::Client::connect(path_, timeout_);
  if (!client) return client.error();
  current_ = std::make_shared<Connection>(std::move(client).value());
  return current_;
}

// Sends what is queued, including frames queued meanwhile, in queue order.
void Lane::flush(Connection& c, std::unique_lock<std::mutex>& lock) {
  c.writing = true;
  while (!c.unsent.empty() && !c.broken) {
    std::string batch;
    batch.swap(c.unsent);
    lock.unlock();
    auto sent = c.client.send_bytes(batch);
    lock.lock();
    if (!sent) {
      fail_all(c, sent.message());
      c.client.shutdown();  // wakes a reader blocked in recv
    }
  }
  c.writing = false;
}

Result<std::vector<ipc::Message>> read_replies(ipc::Client& client,
                                               std::chrono::milliseconds timeout) {
  auto first = client.receive(timeout);
  if (!first) return first.error();
  std::vector<ipc::Message> replies;
  replies.push_back(std::move(first).value());
  for (;;) {
    auto more = client.buffered();
    if (!more) return more.error();
    if (!*more) return replies;
    replies.push_back(std::move(**more));
  }
}

// Waits for self's reply, reading for everyone while nobody else does.
void Lane::read_for(Connection& c, Waiter& self, std::unique_lock<std::mutex>& lock) {
  while (!self.reply) {
    if (c.reading) {
      // Yield a while before sleeping: a futex sleep and wake-up costs far
      // more than a round trip to keyd, on virtual machines especially.
      lock.unlock();
      for (int i = 0; i < kYields && !self.ready.load(std::memory_order_acquire); ++i)
        std::this_thread::yield();
      lock.lock();
      if (!self.reply && c.reading) self.wake.wait(lock);
      continue;
    }
    c.reading = true;
    lock.unlock();
    auto replies = read_replies(c.client, timeout_);
    lock.lock();
    c.reading = false;
    if (!replies) fail_all(c, replies.message());
    for (auto& reply : replies ? *replies : std::vector<ipc::Message>()) {
      if (c.waiting.empty()) {
        fail_all(c, "keyd sent a reply nobody asked for");
        break;
      }
      Waiter* owner = c.waiting.front();
      c.waiting.pop_front();
      owner->reply = std::move(reply);
      owner->ready.store(true, std::memory_order_release);
      if (owner != &self) owner->wake.notify_one();
    }
  }
  if (!c.reading && !c.waiting.empty()) c.waiting.front()->wake.notify_one();  // next reader
}

void Lane::fail_all(Connection& c, const std::string& reason) {
  c.broken = true;
  c.unsent.clear();
  for (Waiter* w : c.waiting) {
    w->reply = make_error(reason);
    w->ready.store(true, std::memory_order_release);
    w->wake.notify_one();
  }
  c.waiting.clear();
}

}  // namespace appliance::keyd
