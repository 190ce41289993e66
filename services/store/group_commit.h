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
//   come back with their next message); at most as long as the last batch
//   ran its first phase (with one phase: the last commit), and never more
//   than max_linger (2 ms by default), counted with phases from when it began
//   to wait for the first one (lead()); it sleeps until a writer submits, an
//   intent is dropped, or the time is up (waking every 0.1 ms to look cost a
//   thread switch each time). Without that wait,
//   writers that finish a batch together come back together and miss the next
//   one, and batches settle at half the writers. A lone writer expects no one
//   and still commits at once.
//
//   max_batch = 1 turns grouping off (one sync per job): the benchmark's
//   baseline.
//
//   A batch may run in phases (the SQLite backend: blobs.db, then meta.db,
//   one sync each). Batches pass through the phases in turn, like a
//   pipeline: while one batch runs phase 2, the next runs phase 1, and the
//   one after that gathers writers until phase 1 is free. A batch takes the
//   next phase's turn before it gives up its own, so batches keep their order
//   and the phases of a batch run one after the other. A leader expects only
//   the writers not already waiting in a running batch.
//
//   exclusive(fn) runs fn while no batch runs (garbage collection, destroying
//   an account), so fn sees and changes the database between batches; a
//   writer waiting for it holds back new batches, so it is not starved.
//
//   A phase must set the result of every job that fails in it, skip jobs
//   that have failed before it, and not submit jobs itself.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "common/result.h"

namespace appliance::store {

class GroupCommit {
 public:
  struct Job {
    virtual ~Job() = default;
    Result<void> result;
    bool taken = false;            // in a running batch; guarded by the GroupCommit's mutex
    bool done = false;             // guarded by the GroupCommit's mutex
    std::condition_variable wake;  // the submitter sleeps on it
  };
  using RunBatch = std::function<void(std::span<Job* const> batch)>;  // one phase

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

  static constexpr std::chrono::milliseconds kMaxLinger{2};

  GroupCommit(RunBatch run, std::size_t max_batch,
              std::chrono::steady_clock::duration max_linger = kMaxLinger);
  // Batches run `phases` in order, one batch per phase at a time.
  GroupCommit(std::vector<RunBatch> phases, std::size_t max_batch,
              std::chrono::steady_clock::duration max_linger = kMaxLinger);

  // Blocks until the batch holding `job` has committed (or failed).
  Result<void> submit(Job& job);
  void exclusive(const std::function<void()>& fn);
  std::unique_ptr<Intent> intend() { return std::make_unique<Intent>(shared_); }

  std::uint64_t batches() const;
  std::uint64_t jobs() const;
  std::size_t waiting() const;  // jobs queued, not yet in a batch

 private:
  bool may_lead() const;
  bool gathered() const;
  void lead(std::unique_lock<std::mutex>& lock);
  void run_phases(std::unique_lock<std::mutex>& lock, std::span<Job* const> batch);
  void next_leader();
  void linger(std::unique_lock<std::mutex>& lock, std::chrono::steady_clock::time_point deadline);

  std::vector<RunBatch> phases_;
  std::vector<bool> phase_busy_;   // a batch holds the phase's turn
  std::condition_variable turn_;  // a phase's turn was given up
  std::size_t max_batch_;
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
  std::mutex& mutex_ = shared_->mutex;
  std::condition_variable idle_;  // for exclusive(): no batch running
  std::condition_variable& arrived_ = shared_->arrived;
  std::chrono::steady_clock::duration max_linger_;
  std::chrono::steady_clock::duration last_phase_;  // how long the last batch held the first phase
  std::size_t seen_ = 1;       // writers active at the end of the last batch
  std::size_t in_flight_ = 0;  // jobs in running batches
  std::deque<Job*> queue_;
  int leaders_ = 0;            // batches gathering or running
  bool gathering_ = false;     // one leader at a time waits for phase 1 and takes a batch
  bool exclusive_ = false;     // exclusive(fn) is running
  int exclusive_waiting_ = 0;
  std::uint64_t batches_ = 0, jobs_ = 0;
};

}  // namespace appliance::store
