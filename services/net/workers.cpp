// NAME
//   workers.cpp - threads for the blocking work of a daemon.
#include "net/workers.h"

#include <pthread.h>
#include <sched.h>

#include <barrier>
#include <memory>

#include <boost/asio/post.hpp>

namespace appliance::net {

// SCHED_BATCH: a worker that wakes does not preempt the thread running on its
// core, so the I/O thread finishes what it is doing (a reply, the next
// command) before a woken worker takes its turn. Each thread takes exactly
// one of these jobs, since none finishes before all have begun.
Workers::Workers(std::size_t threads) : pool_(threads) {
  auto all = std::make_shared<std::barrier<>>(static_cast<std::ptrdiff_t>(threads));
  for (std::size_t i = 0; i < threads; ++i)
    boost::asio::post(pool_, [all] {
      sched_param none{};
      pthread_setschedparam(pthread_self(), SCHED_BATCH, &none);
      all->arrive_and_wait();
    });
}

Workers::~Workers() { join(); }

void Workers::run(std::function<void()> job) { boost::asio::post(pool_, std::move(job)); }

void Workers::join() { pool_.join(); }

}  // namespace appliance::net
