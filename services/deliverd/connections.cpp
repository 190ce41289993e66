// NAME
//   connections.cpp - sessions kept for the next entry to the same host.
#include "deliverd/connections.h"

#include <algorithm>

namespace appliance::deliverd {

Connections::~Connections() {
  for (auto& [host, session] : kept_) quit(session);
}

std::optional<Session> Connections::take(const std::string& host) {
  std::optional<Session> s;
  {
    std::lock_guard lock(mutex_);
    auto it =
        std::find_if(kept_.begin(), kept_.end(), [&](const auto& k) { return k.first == host; });
    if (it == kept_.end()) return std::nullopt;
    s = std::move(it->second);
    kept_.erase(it);
  }
  if (!reset(*s)) return std::nullopt;  // closed by the server, or refused: open a new one
  return s;
}

void Connections::put_back(const std::string& host, Session session) {
  if (session.messages >= per_connection_) return quit(session);
  std::optional<Session> oldest;
  {
    std::lock_guard lock(mutex_);
    kept_.emplace_back(host, std::move(session));
    if (kept_.size() > idle_) {
      oldest = std::move(kept_.front().second);
      kept_.pop_front();
    }
  }
  if (oldest) quit(*oldest);
}

void Connections::mark_dead(const std::string& target, const std::string& why) {
  std::lock_guard lock(mutex_);
  dead_.emplace(target, why);
}

std::optional<std::string> Connections::dead(const std::string& target) {
  std::lock_guard lock(mutex_);
  auto it = dead_.find(target);
  if (it == dead_.end()) return std::nullopt;
  return it->second;
}

}  // namespace appliance::deliverd
