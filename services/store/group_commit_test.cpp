// NAME
//   group_commit_test - writers that wait together commit together.
//
// DESCRIPTION
//   Semantics only, never timing: the first batch is held open until the
//   test has seen every other writer queued, and then all of them must be
//   committed by exactly one more batch.
#include "store/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace appliance::store {
namespace {

struct Gate {
  std::mutex m;
  std::condition_variable cv;
  bool open = false;
  void wait() {
    std::unique_lock l(m);
    cv.wait(l, [&] { return open; });
  }
  void release() {
    std::lock_guard l(m);
    open = true;
    cv.notify_all();
  }
};

void wait_until(const std::function<bool()>& done) {
  while (!done()) std::this_thread::yield();
}

TEST(GroupCommit, ALoneWriterCommitsAtOnce) {
  int runs = 0;
  GroupCommit gc(
      [&](std::span<GroupCommit::Job* const> b) {
        ++runs;
        EXPECT_EQ(b.size(), 1u);
      },
      64);
  GroupCommit::Job job;
  EXPECT_TRUE(gc.submit(job).ok());
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(gc.batches(), 1u);
}

TEST(GroupCommit, WritersWaitingDuringACommitShareTheNextOne) {
  Gate gate;
  std::vector<std::size_t> sizes;  // written by leaders, one at a time
  std::atomic<int> started{0};
  GroupCommit gc(
      [&](std::span<GroupCommit::Job* const> b) {
        sizes.push_back(b.size());
        if (started++ == 0) gate.wait();  // the first commit is "syncing"
      },
      64);
  GroupCommit::Job first;
  std::thread leader([&] { EXPECT_TRUE(gc.submit(first).ok()); });
  wait_until([&] { return started > 0; });
  constexpr int kWriters = 20;
  std::vector<GroupCommit::Job> jobs(kWriters);
  std::vector<std::thread> writers;
  for (auto& j : jobs) writers.emplace_back([&] { EXPECT_TRUE(gc.submit(j).ok()); });
  wait_until([&] { return gc.waiting() == kWriters; });
  gate.release();
  leader.join();
  for (auto& w : writers) w.join();
  ASSERT_EQ(sizes.size(), 2u);
  EXPECT_EQ(sizes[1], std::size_t{kWriters});
  EXPECT_EQ(gc.jobs(), kWriters + 1u);
}

TEST(GroupCommit, MaxBatchOneCommitsEachJobAlone) {
  Gate gate;
  std::atomic<int> runs{0};
  GroupCommit gc(
      [&](std::span<GroupCommit::Job* const> b) {
        EXPECT_EQ(b.size(), 1u);
        if (runs++ == 0) gate.wait();
      },
      1);
  std::vector<GroupCommit::Job> jobs(5);
  std::vector<std::thread> writers;
  for (auto& j : jobs) writers.emplace_back([&] { EXPECT_TRUE(gc.submit(j).ok()); });
  wait_until([&] { return gc.waiting() == 4; });
  gate.release();
  for (auto& w : writers) w.join();
  EXPECT_EQ(gc.batches(), 5u);
}

TEST(GroupCommit, EachJobGetsItsOwnResult) {
  struct Numbered : GroupCommit::Job {
    int n = 0;
  };
  GroupCommit gc(
      [](std::span<GroupCommit::Job* const> b) {
        for (auto* j : b)
          if (static_cast<Numbered*>(j)->n % 2) j->result = make_error("odd");
      },
      64);
  Numbered even, odd;
  even.n = 2, odd.n = 3;
  EXPECT_TRUE(gc.submit(even).ok());
  EXPECT_EQ(gc.submit(odd).message(), "odd");
}

TEST(GroupCommit, ExclusiveWaitsForTheRunningBatch) {
  Gate gate;
  std::atomic<bool> in_batch{false}, overlapped{false};
  GroupCommit gc(
      [&](std::span<GroupCommit::Job* const>) {
        in_batch = true;
        gate.wait();
        in_batch = false;
      },
      64);
  GroupCommit::Job job;
  std::thread writer([&] { EXPECT_TRUE(gc.submit(job).ok()); });
  wait_until([&] { return in_batch.load(); });
  std::thread admin([&] { gc.exclusive([&] { overlapped = in_batch.load(); }); });
  gate.release();
  writer.join();
  admin.join();
  EXPECT_FALSE(overlapped);
}

// Two writers announce a message; the first to submit leads and waits for
// the other rather than committing alone (the wait bound is an hour here, so
// only the second writer's submit can end it).
TEST(GroupCommit, ALeaderWaitsForAnnouncedWriters) {
  std::vector<std::size_t> sizes;
  GroupCommit gc([&](std::span<GroupCommit::Job* const> b) { sizes.push_back(b.size()); }, 64,
                 std::chrono::hours(1));
  auto first_intent = gc.intend();
  auto second_intent = gc.intend();
  GroupCommit::Job first, second;
  std::thread leader([&] {
    first_intent->release();
    EXPECT_TRUE(gc.submit(first).ok());
  });
  wait_until([&] { return gc.waiting() == 1; });  // queued, lingering
  second_intent->release();
  EXPECT_TRUE(gc.submit(second).ok());
  leader.join();
  EXPECT_EQ(sizes, std::vector<std::size_t>{2});
}

TEST(GroupCommit, AnIntentDroppedWithoutSubmitDoesNotHoldTheLeader) {
  int runs = 0;
  GroupCommit gc([&](std::span<GroupCommit::Job* const>) { ++runs; }, 64, std::chrono::hours(1));
  auto abandoned = gc.intend();
  GroupCommit::Job job;
  std::thread leader([&] { EXPECT_TRUE(gc.submit(job).ok()); });
  wait_until([&] { return gc.waiting() == 1; });
  abandoned.reset();  // e.g. the client disconnected mid-message
  leader.join();
  EXPECT_EQ(runs, 1);
}

}  // namespace
}  // namespace appliance::store
