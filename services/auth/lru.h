// NAME
//   lru.h - a map of bounded size that forgets the least recently used entry.
//
// DESCRIPTION
//   For tables fed by network input (failure counters per address), whose
//   memory must not grow with what a stranger sends. Not thread-safe: the
//   owner locks.
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

namespace appliance::auth {

template <class V>
class LruMap {
 public:
  explicit LruMap(std::size_t max_entries) : max_(max_entries ? max_entries : 1) {}

  // The entry, marked as most recently used; null if absent.
  V* find(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    items_.splice(items_.end(), items_, it->second);
    return &it->second->second;
  }

  // The entry, made with V{} if absent (the oldest goes when full).
  V& upsert(const std::string& key) {
    if (V* v = find(key)) return *v;
    if (index_.size() >= max_) {
      index_.erase(items_.front().first);
      items_.pop_front();
    }
    items_.emplace_back(key, V{});
    index_[key] = std::prev(items_.end());
    return items_.back().second;
  }

  void erase(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return;
    items_.erase(it->second);
    index_.erase(it);
  }

  std::size_t size() const { return index_.size(); }

 private:
  using Items = std::list<std::pair<std::string, V>>;
  std::size_t max_;
  Items items_;  // least recently used first
  std::unordered_map<std::string, typename Items::iterator> index_;
};

}  // namespace appliance::auth
