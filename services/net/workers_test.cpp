#include "net/workers.h"

#include <gtest/gtest.h>
#include <sched.h>

#include <atomic>
#include <future>
#include <vector>

namespace appliance::net {
namespace {

// Every worker runs as SCHED_BATCH, so that waking one does not preempt the
// I/O thread; jobs queued at once all run, on every thread.
TEST(WorkersTest, EveryThreadRunsAsBatch) {
  constexpr int kThreads = 4, kJobs = 64;
  Workers workers(kThreads);
  std::atomic<int> batch{0};
  std::vector<std::promise<void>> done(kJobs);
  for (auto& d : done)
    workers.run([&batch, &d] {
      if (sched_getscheduler(0) == SCHED_BATCH) ++batch;
      d.set_value();
    });
  for (auto& d : done) d.get_future().wait();
  EXPECT_EQ(batch.load(), kJobs);
}

}  // namespace
}  // namespace appliance::net
