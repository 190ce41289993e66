// NAME
//   idle_hub.cpp - the IDLE poll ticker.
#include "imapd/idle_hub.h"

#include <vector>

namespace appliance::imapd {

std::uint64_t IdleHub::add(std::function<void()> poll) {
  std::lock_guard lock(mutex_);
  idlers_.emplace(next_, std::move(poll));
  return next_++;
}

void IdleHub::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  idlers_.erase(id);
}

void IdleHub::tick() {
  std::vector<std::function<void()>> polls;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, poll] : idlers_) polls.push_back(poll);
  }
  for (auto& poll : polls) poll();
}

void IdleHub::run(std::chrono::milliseconds every) {
  thread_ = std::thread([this, every] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, every, [this] { return stopping_; })) {
      lock.unlock();
      tick();
      lock.lock();
    }
  });
}

void IdleHub::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace appliance::imapd
