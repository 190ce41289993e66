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

// Two phases: the second batch runs phase 1 while the first is held in
// phase 2, and is acknowledged only after its own phase 2, which waits for
// the first batch to leave it.
TEST(GroupCommit, TheNextBatchRunsPhaseOneWhileTheFirstRunsPhaseTwo) {
  Gate gate;
  std::atomic<int> first_phase{0}, second_phase{0};
  std::vector<int> second_order;  // batches in phase 2, one at a time
  GroupCommit gc(std::vector<GroupCommit::RunBatch>{
                     [&](std::span<GroupCommit::Job* const>) { ++first_phase; },
                     [&](std::span<GroupCommit::Job* const>) {
                       int n = second_phase++;
                       second_order.push_back(n);
                       if (n == 0) gate.wait();  // the first batch is "syncing"
                     }},
                 64);
  GroupCommit::Job first, second;
  std::atomic<bool> second_done{false};
  std::thread one([&] { EXPECT_TRUE(gc.submit(first).ok()); });
  wait_until([&] { return second_phase > 0; });
  std::thread two([&] {
    EXPECT_TRUE(gc.submit(second).ok());
    second_done = true;
  });
  wait_until([&] { return first_phase == 2; });  // the second batch passed phase 1
  EXPECT_EQ(second_phase.load(), 1);
  EXPECT_FALSE(second_done.load());
  gate.release();
  one.join();
  two.join();
  EXPECT_EQ(second_order, (std::vector<int>{0, 1}));
  EXPECT_EQ(gc.batches(), 2u);
}

// Many writers through two phases: each phase holds one batch at a time,
// every batch passes phase 1 before phase 2, and in the same order.
TEST(GroupCommit, EachPhaseHoldsOneBatchAtATimeInOrder) {
  std::mutex m;
  std::vector<const void*> order[2];
  std::atomic<int> inside[2] = {0, 0};
  std::atomic<bool> overlapped{false};
  auto phase = [&](int p) {
    return [&, p](std::span<GroupCommit::Job* const> b) {
      if (++inside[p] > 1) overlapped = true;
      {
        std::lock_guard l(m);
        order[p].push_back(b.front());
      }
      std::this_thread::yield();
      --inside[p];
    };
  };
  GroupCommit gc(std::vector<GroupCommit::RunBatch>{phase(0), phase(1)}, 4);
  constexpr int kWriters = 8, kEach = 200;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        GroupCommit::Job job;
        EXPECT_TRUE(gc.submit(job).ok());
      }
    });
  for (auto& w : writers) w.join();
  EXPECT_FALSE(overlapped.load());
  EXPECT_EQ(gc.jobs(), std::uint64_t{kWriters * kEach});
  EXPECT_EQ(order[0], order[1]);
}

TEST(GroupCommit, ExclusiveWaitsForEveryRunningBatch) {
  Gate gate;
  std::atomic<int> running{0}, second_phase{0};
  std::atomic<bool> overlapped{false};
  GroupCommit gc(std::vector<GroupCommit::RunBatch>{
                     [&](std::span<GroupCommit::Job* const>) { ++running; },
                     [&](std::span<GroupCommit::Job* const>) {
                       if (second_phase++ == 0) gate.wait();
                       --running;
                     }},
                 64);
  std::vector<GroupCommit::Job> jobs(2);
  std::thread a([&] { EXPECT_TRUE(gc.submit(jobs[0]).ok()); });
  wait_until([&] { return second_phase == 1; });
  std::thread b([&] { EXPECT_TRUE(gc.submit(jobs[1]).ok()); });
  wait_until([&] { return running == 2; });  // the second batch is in phase 1 or waits for 2
  std::thread admin([&] { gc.exclusive([&] { overlapped = running.load() > 0; }); });
  gate.release();
  a.join();
  b.join();
  admin.join();
  EXPECT_FALSE(overlapped.load());
}

}  // namespace
}  // namespace appliance::store
