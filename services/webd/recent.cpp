// NAME
//   recent.cpp - answers to API-key reads, kept for a moment.
#include "webd/recent.h"

#include <openssl/evp.h>

#include <array>
#include <string_view>

#include "webd/http.h"

namespace appliance::webd {
namespace {

// Answers that depend on the calling key and its account alone.
constexpr std::array<std::string_view, 1> kRememberedPaths = {"/api/v1/me"};

bool may_change(const HttpRequest& request) {
  return request.method != "GET" && request.method != "HEAD";
}

}  // namespace

RecentAnswers::RecentAnswers(const auth::Clock& clock, std::chrono::milliseconds validity,
                             std::size_t max_entries)
    : clock_(clock), validity_(validity), max_entries_(max_entries) {}

std::string RecentAnswers::key_of(const HttpRequest& request) {
  if (request.method != "GET" || !request.body.empty()) return {};
  bool listed = false;
  for (std::string_view path : kRememberedPaths) listed = listed || request.target == path;
  std::string_view auth = request.header("authorization");
  if (!listed || !auth.starts_with("Bearer ")) return {};
  std::string input = request.target + '\n' + std::string(auth);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    return {};
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::optional<std::string> RecentAnswers::recall(const HttpRequest& request, bool keep_alive) {
  std::string key = key_of(request);
  if (key.empty()) return std::nullopt;
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  if (clock_.now() >= it->second.until) {
    entries_.erase(it);
    return std::nullopt;
  }
  return keep_alive ? it->second.keep_alive : serialize(it->second.response, false);
}

HttpResponse RecentAnswers::answer(const HttpRequest& request, const Handle& handle) {
  if (may_change(request)) {
    forget_all();
    HttpResponse response = handle(request);
    forget_all();
    return response;
  }
  std::string key = key_of(request);
  if (key.empty()) return handle(request);
  std::uint64_t generation;
  {
    std::lock_guard lock(mutex_);
    generation = generation_;
  }
  HttpResponse response = handle(request);
  if (response.status != 200) return response;
  std::string bytes = serialize(response, true);
  std::lock_guard lock(mutex_);
  if (generation != generation_ || max_entries_ == 0) return response;
  auth::Instant now = clock_.now();
  if (entries_.size() >= max_entries_)
    std::erase_if(entries_, [now](const auto& e) { return now >= e.second.until; });
  if (entries_.size() >= max_entries_) entries_.clear();
  entries_.insert_or_assign(std::move(key), Entry{response, std::move(bytes), now + validity_});
  return response;
}

void RecentAnswers::forget_all() {
  std::lock_guard lock(mutex_);
  ++generation_;
  entries_.clear();
}

std::size_t RecentAnswers::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace appliance::webd
