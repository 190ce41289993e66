// NAME
//   group_commit.h - many writers, one transaction, one sync.
//
// DESCRIPTION
//   A writer submits a Job and blocks until the job is durable. Jobs that
//   arrive while a commit is in progress wait in the queue; when it ends, one
//   of the waiting writers becomes the leader, takes everything queued (up to
//   max_batch) and runs it as one batch: one transaction, one sync. The others
//   sleep until the leader has set their results. There is no commit thread:
//   the leader is always a writer that has work waiting, so an idle store
//   costs nothing and a lone writer commits at once.
//
//   max_batch = 1 turns grouping off (one sync per job): the benchmark's
//   baseline.
//
//   exclusive(fn) runs fn while no batch runs (garbage collection, destroying
//   an account), so fn sees and changes the database between batches.
//
//   RunBatch must set every job's result and must not submit jobs itself.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <span>

#include "common/result.h"

namespace appliance::store {

class GroupCommit {
 public:
  struct Job {
    virtual ~Job() = default;
    Result<void> result;
    bool done = false;  // guarded by the GroupCommit's mutex
  };
  using RunBatch = std::function<void(std::span<Job* const> batch)>;

  GroupCommit(RunBatch run, std::size_t max_batch);

  // Blocks until the batch holding `job` has committed (or failed).
  Result<void> submit(Job& job);
  void exclusive(const std::function<void()>& fn);

  std::uint64_t batches() const;
  std::uint64_t jobs() const;
  std::size_t waiting() const;  // jobs queued, not yet in a batch

 private:
  void lead(std::unique_lock<std::mutex>& lock);

  RunBatch run_;
  std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Job*> queue_;
  bool leading_ = false;
  std::uint64_t batches_ = 0, jobs_ = 0;
};

}  // namespace appliance::store
