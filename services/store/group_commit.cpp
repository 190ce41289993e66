// NAME
//   group_commit.cpp - the commit queue and its leader.
#include "store/group_commit.h"

#include <algorithm>
#include <vector>

namespace appliance::store {

GroupCommit::GroupCommit(RunBatch run, std::size_t max_batch)
    : run_(std::move(run)), max_batch_(std::max<std::size_t>(1, max_batch)) {}

Result<void> GroupCommit::submit(Job& job) {
  std::unique_lock lock(mutex_);
  queue_.push_back(&job);
  while (!job.done) {
    if (!leading_) {
      lead(lock);
    } else {
      changed_.wait(lock);
    }
  }
  return job.result;
}

// Called with the lock held and no leader; returns with the lock held.
void GroupCommit::lead(std::unique_lock<std::mutex>& lock) {
  leading_ = true;
  std::size_t n = std::min(queue_.size(), max_batch_);
  std::vector<Job*> batch(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  lock.unlock();
  run_(batch);
  lock.lock();
  for (Job* j : batch) j->done = true;
  ++batches_;
  jobs_ += batch.size();
  leading_ = false;
  changed_.notify_all();
}

void GroupCommit::exclusive(const std::function<void()>& fn) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !leading_; });
  leading_ = true;
  lock.unlock();
  fn();
  lock.lock();
  leading_ = false;
  changed_.notify_all();
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
