// NAME
//   group_commit.cpp - the commit queue and its leader.
#include "store/group_commit.h"

#include <algorithm>
#include <vector>

namespace appliance::store {

GroupCommit::GroupCommit(RunBatch run, std::size_t max_batch,
                         std::chrono::steady_clock::duration max_linger)
    : GroupCommit(std::vector<RunBatch>{std::move(run)}, max_batch, max_linger) {}

GroupCommit::GroupCommit(std::vector<RunBatch> phases, std::size_t max_batch,
                         std::chrono::steady_clock::duration max_linger)
    : phases_(std::move(phases)),
      phase_busy_(phases_.size(), false),
      max_batch_(std::max<std::size_t>(1, max_batch)),
      max_linger_(max_linger),
      last_phase_(max_linger) {}

GroupCommit::Intent::Intent(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {
  std::lock_guard lock(shared_->mutex);
  ++shared_->preparing;
}

void GroupCommit::Intent::end(bool wake) {
  if (!shared_) return;
  {
    std::lock_guard lock(shared_->mutex);
    --shared_->preparing;
    if (wake && shared_->lingering) shared_->arrived.notify_one();
  }
  shared_.reset();
}

Result<void> GroupCommit::submit(Job& job) {
  std::unique_lock lock(mutex_);
  queue_.push_back(&job);
  if (shared_->lingering && gathered()) arrived_.notify_one();  // else the leader sleeps on
  while (!job.done) {
    if (!job.taken && may_lead()) {
      lead(lock);
    } else {
      job.wake.wait(lock);
    }
  }
  return job.result;
}

// Called with the lock held. A waiting exclusive() goes before new batches.
bool GroupCommit::may_lead() const {
  return !gathering_ && !exclusive_ && exclusive_waiting_ == 0;
}

// Called with the lock held when may_lead(); returns with the lock held.
// The leader gathers until the first phase is free (writers keep queueing
// meanwhile), lingers for the writers it expects, then takes its batch. With
// phases, the linger is counted from when it began to lead: time spent
// lingering holds the first phase idle, and the writers of the batch ahead
// of it cannot come yet. With one phase, from when the batch before ended,
// whose writers are coming back.
void GroupCommit::lead(std::unique_lock<std::mutex>& lock) {
  using namespace std::chrono;
  ++leaders_;
  gathering_ = true;
  const auto bound = std::min<steady_clock::duration>(last_phase_, max_linger_);
  auto deadline = steady_clock::now() + bound;
  turn_.wait(lock, [&] { return !phase_busy_[0]; });
  phase_busy_[0] = true;
  if (phases_.size() == 1) deadline = steady_clock::now() + bound;
  linger(lock, deadline);
  std::size_t n = std::min(queue_.size(), max_batch_);
  std::vector<Job*> batch(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  for (Job* j : batch) j->taken = true;
  in_flight_ += n;
  gathering_ = false;
  next_leader();  // the next batch gathers while this one runs
  run_phases(lock, batch);
  seen_ = in_flight_ + queue_.size();  // the writers seen: most come back
  in_flight_ -= n;
  for (Job* j : batch) {
    j->done = true;
    j->wake.notify_one();  // under the lock: the job may be gone once it is released
  }
  ++batches_;
  jobs_ += batch.size();
  --leaders_;
  next_leader();
}

// Called with the lock and phase 1's turn held; returns with the lock held
// and no turn. Hand over hand: the next phase's turn is taken before this
// one's is given up.
void GroupCommit::run_phases(std::unique_lock<std::mutex>& lock, std::span<Job* const> batch) {
  for (std::size_t p = 0; p < phases_.size(); ++p) {
    lock.unlock();
    const auto started = std::chrono::steady_clock::now();
    phases_[p](batch);
    if (p == 0) last_phase_ = std::chrono::steady_clock::now() - started;
    lock.lock();
    if (p + 1 < phases_.size()) {
      turn_.wait(lock, [&] { return !phase_busy_[p + 1]; });
      phase_busy_[p + 1] = true;
    }
    phase_busy_[p] = false;
    turn_.notify_all();
  }
}

// Called with the lock held, as leader, before taking the batch. Writers
// waiting in a running batch cannot come, so they are not expected.
void GroupCommit::linger(std::unique_lock<std::mutex>& lock,
                         std::chrono::steady_clock::time_point deadline) {
  if (max_batch_ == 1) return;
  shared_->lingering = true;
  arrived_.wait_until(lock, deadline, [&] { return gathered(); });
  shared_->lingering = false;
}

// Called with the lock held: whether a lingering leader has every writer it
// expects (or a full batch). A writer that submits wakes the leader only
// then, not at every submit: a wake-up is a thread switch.
bool GroupCommit::gathered() const {
  const std::size_t expected = seen_ > in_flight_ ? seen_ - in_flight_ : 1;
  return queue_.size() >= max_batch_ || (queue_.size() >= expected && shared_->preparing == 0);
}

// Called with the lock held when a batch has been taken or has ended, or an
// exclusive run has ended.
void GroupCommit::next_leader() {
  if (exclusive_waiting_ > 0 && leaders_ == 0 && !exclusive_) idle_.notify_one();
  if (!queue_.empty() && may_lead()) queue_.front()->wake.notify_one();
}

void GroupCommit::exclusive(const std::function<void()>& fn) {
  std::unique_lock lock(mutex_);
  ++exclusive_waiting_;
  idle_.wait(lock, [&] { return leaders_ == 0 && !exclusive_; });
  --exclusive_waiting_;
  exclusive_ = true;
  lock.unlock();
  fn();
  lock.lock();
  exclusive_ = false;
  next_leader();
}

std::uint64_t GroupCommit::batches() const {
  std::lock_guard lock(mutex_);
  return batches_;
}

std::uint64_t GroupCommit::jobs() const {
  std::lock_guard lock(mutex_);
  return jobs_;
}

std::size_t GroupCommit::waiting() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

}  // namespace appliance::store
