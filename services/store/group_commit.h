// NAME
//   group_commit.h - many writers, one transaction, one sync.
//
// DESCRIPTION
//   A writer submits a Job and blocks until the job is durable. Jobs that
//   arrive while a commit is in progress wait in the queue; when it ends, one
//   of the waiting writers becomes the leader, takes everything queued (up to
//   max_batch) and runs it as one batch: one transaction, one sync. The others
//   sleep until the leader has set their results; each is woken alone, when
//   its own job is done or when it is first in line to lead (waking every
//   writer at every commit cost more CPU than the commits). There is no commit thread:
//   the leader is always a writer that has work waiting, so an idle store
//   costs nothing and a lone writer commits at once.
//
//   A leader waits a little for the writers it expects before it takes its
//   batch: those holding an Intent (a message being received and sealed) and
//   as many as the last batch saw (its jobs and those queued at its end: most
//   come back with their next message); at most as long as the last commit
//   took, and never more than max_linger (2 ms by default); it sleeps until a
//   writer submits, an intent is dropped, or the time is up (waking every
//   0.1 ms to look cost a thread switch each time). Without that wait,
//   writers that finish a batch together come back together and miss the next
//   one, and batches settle at half the writers. A lone writer expects no one
//   and still commits at once.
//
//   max_batch = 1 turns grouping off (one sync per job): the benchmark's
//   baseline.
//
//   exclusive(fn) runs fn while no batch runs (garbage collection, destroying
//   an account), so fn sees and changes the database between batches.
//
//   RunBatch must set every job's result and must not submit jobs itself.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>

#include "common/result.h"

namespace appliance::store {

class GroupCommit {
 public:
  struct Job {
    virtual ~Job() = default;
    Result<void> result;
    bool done = false;             // guarded by the GroupCommit's mutex
    std::condition_variable wake;  // the submitter sleeps on it
  };
  using RunBatch = std::function<void(std::span<Job* const> batch)>;

  // What intents share with their GroupCommit, which they may outlive.
  struct Shared {
    std::mutex mutex;                  // the GroupCommit's
    std::condition_variable arrived;   // for a lingering leader
    int preparing = 0;                 // intents held
    bool lingering = false;
  };

  class Intent {
   public:
    explicit Intent(std::shared_ptr<Shared> shared);
    ~Intent() { end(true); }  // dropped without a submit: the leader stops waiting for it
    Intent(const Intent&) = delete;
    Intent& operator=(const Intent&) = delete;
    void release() { end(false); }  // the job is about to be submitted, which wakes the leader

   private:
    void end(bool wake);
    std::shared_ptr<Shared> shared_;
  };

  GroupCommit(RunBatch run, std::size_t max_batch,
              std::chrono::steady_clock::duration max_linger = std::chrono::milliseconds(2));

  // Blocks until the batch holding `job` has committed (or failed).
  Result<void> submit(Job& job);
  void exclusive(const std::function<void()>& fn);
  std::unique_ptr<Intent> intend() { return std::make_unique<Intent>(shared_); }

  std::uint64_t batches() const;
  std::uint64_t jobs() const;
  std::size_t waiting() const;  // jobs queued, not yet in a batch

 private:
  void lead(std::unique_lock<std::mutex>& lock);
  void next_leader();
  void linger(std::unique_lock<std::mutex>& lock);

  RunBatch run_;
  std::size_t max_batch_;
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
  std::mutex& mutex_ = shared_->mutex;
  std::condition_variable idle_;  // for exclusive(): no batch running
  std::condition_variable& arrived_ = shared_->arrived;
  std::chrono::steady_clock::duration max_linger_, last_commit_;
  std::size_t expected_ = 1;  // writers active at the end of the last batch
  std::deque<Job*> queue_;
  bool leading_ = false;
  int exclusive_waiting_ = 0;
  std::uint64_t batches_ = 0, jobs_ = 0;
};

}  // namespace appliance::store
