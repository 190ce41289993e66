// NAME
//   ttl_cache.cpp - answers kept for their TTL.
#include "dns/ttl_cache.h"

#include <algorithm>

namespace appliance::dns {

namespace {

std::string key_of(char type, std::string_view name) {
  std::string key(1, type);
  key.reserve(name.size() + 1);
  for (char c : name) key += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  return key;
}

}  // namespace

template <class T>
Lookup<T> TtlCache::cached(char type, std::string_view name,
                           const std::function<Lookup<T>()>& ask) {
  std::string key = key_of(type, name);
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      if (clock_() < it->second.expires) return std::get<Lookup<T>>(it->second.lookup);
      entries_.erase(it);
    }
  }
  Lookup<T> found = ask();  // without the lock: other names need not wait for this one
  auto ttl = std::min<std::chrono::seconds>(std::chrono::seconds(found.ttl), limits_.max_ttl);
  if (!found.temporary() && ttl.count() > 0) keep(std::move(key), Entry{clock_() + ttl, found});
  return found;
}

void TtlCache::keep(std::string key, Entry entry) {
  std::lock_guard lock(mutex_);
  if (entries_.size() >= limits_.max_entries && !entries_.contains(key)) {
    auto now = clock_();
    std::erase_if(entries_, [now](const auto& e) { return e.second.expires <= now; });
    if (entries_.size() >= limits_.max_entries) return;
  }
  entries_.insert_or_assign(std::move(key), std::move(entry));
}

Lookup<Mx> TtlCache::mx(std::string_view domain) {
  return cached<Mx>('M', domain, [&] { return resolver_.mx(domain); });
}

Lookup<std::string> TtlCache::addresses(std::string_view host) {
  return cached<std::string>('A', host, [&] { return resolver_.addresses(host); });
}

Lookup<std::string> TtlCache::txt(std::string_view name) {
  return cached<std::string>('T', name, [&] { return resolver_.txt(name); });
}

Lookup<Tlsa> TtlCache::tlsa(std::string_view name) {
  return cached<Tlsa>('S', name, [&] { return resolver_.tlsa(name); });
}

std::size_t TtlCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace appliance::dns
