// NAME
//   idle_hub.h - wakes the connections in IDLE to look for changes.
//
// DESCRIPTION
//   smtpd and other imapd sessions change a mailbox from elsewhere, so an
//   idling connection polls its mailbox: one cheap query (UIDNEXT, MODSEQ)
//   per tick, the full comparison only when something changed. tick() asks
//   every registered connection to poll; run() ticks on a thread of its own
//   every `every` until stop(). Tests call tick() themselves.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace appliance::imapd {

class IdleHub {
 public:
  ~IdleHub() { stop(); }
  std::uint64_t add(std::function<void()> poll);
  void remove(std::uint64_t id);
  void tick();
  void run(std::chrono::milliseconds every);
  void stop();

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::uint64_t, std::function<void()>> idlers_;
  std::uint64_t next_ = 1;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace appliance::imapd
