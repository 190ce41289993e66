// NAME
//   workers.h - threads for the blocking work of a daemon.
//
// DESCRIPTION
//   A store commit waits for its group's sync; a password login runs Argon2.
//   Neither may run on the I/O threads, where it would hold up every other
//   connection. run() queues a job for one of `threads` threads. Group commit
//   needs concurrent writers to share a sync, so a daemon that stores mail
//   wants as many threads as messages it expects in flight.
//   The threads run as SCHED_BATCH (workers.cpp), which each daemon's unit
//   allows with `SystemCallFilter=sched_setscheduler`.
#pragma once

#include <boost/asio/thread_pool.hpp>

#include <cstddef>
#include <functional>

namespace appliance::net {

class Workers {
 public:
  explicit Workers(std::size_t threads);
  ~Workers();
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  void run(std::function<void()> job);
  // Waits for the queued jobs; no new ones are taken after.
  void join();

 private:
  boost::asio::thread_pool pool_;
};

}  // namespace appliance::net
