// NAME
//   group_commit.cpp - the commit queue and its leader.
#include "store/group_commit.h"

#include <algorithm>
#include <vector>

namespace appliance::store {

GroupCommit::GroupCommit(RunBatch run, std::size_t max_batch,
                         std::chrono::steady_clock::duration max_linger)
    : run_(std::move(run)),
      max_batch_(std::max<std::size_t>(1, max_batch)),
      max_linger_(max_linger),
      last_commit_(max_linger) {}

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
  if (shared_->lingering) arrived_.notify_one();
  while (!job.done) {
    if (!leading_) {
      lead(lock);
    } else {
      job.wake.wait(lock);
    }
  }
  return job.result;
}

// Called with the lock held and no leader; returns with the lock held.
void GroupCommit::lead(std::unique_lock<std::mutex>& lock) {
  leading_ = true;
  linger(lock);
  std::size_t n = std::min(queue_.size(), max_batch_);
  std::vector<Job*> batch(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  lock.unlock();
  const auto started = std::chrono::steady_clock::now();
  run_(batch);
  lock.lock();
  last_commit_ = std::chrono::steady_clock::now() - started;
  expected_ = batch.size() + queue_.size();  // the writers seen: most come back
  for (Job* j : batch) {
    j->done = true;
    j->wake.notify_one();  // under the lock: the job may be gone once it is released
  }
  ++batches_;
  jobs_ += batch.size();
  leading_ = false;
  next_leader();
}

// Called with the lock held, as leader, before taking the batch.
void GroupCommit::linger(std::unique_lock<std::mutex>& lock) {
  using namespace std::chrono;
  if (max_batch_ == 1) return;
  const auto deadline =
      steady_clock::now() + std::min<steady_clock::duration>(last_commit_, max_linger_);
  shared_->lingering = true;
  arrived_.wait_until(lock, deadline, [&] {
    return queue_.size() >= max_batch_ ||
           (queue_.size() >= expected_ && shared_->preparing == 0);
  });
  shared_->lingering = false;
}

// Called with the lock held when a batch or an exclusive run has ended.
void GroupCommit::next_leader() {
  if (exclusive_waiting_ > 0) idle_.notify_all();
  if (!queue_.empty()) queue_.front()->wake.notify_one();
}

void GroupCommit::exclusive(const std::function<void()>& fn) {
  std::unique_lock lock(mutex_);
  ++exclusive_waiting_;
  idle_.wait(lock, [&] { return !leading_; });
  --exclusive_waiting_;
  leading_ = true;
  lock.unlock();
  fn();
  lock.lock();
  leading_ = false;
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
