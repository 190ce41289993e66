// NAME
//   recent.h - answers to API-key reads of the caller's own account, kept
//   for a moment and given again on the connection's own thread.
//
// DESCRIPTION
//   A program that polls GET /api/v1/me with its API key asks the same
//   question many times a second. Answering it takes the key's row, its
//   account's rows and the credential cache, on a worker thread and back.
//   answer() runs the handler on a worker as before and, when the request
//   is one that may be remembered and the answer is 200, keeps the answer
//   (serialized once) for `validity`. recall() gives a remembered answer
//   again, on the connection's strand, without the store or a worker.
//
//   What may be remembered: GET of a path in kRememberedPaths, with an
//   `Authorization: Bearer` header and no query; the answer must depend on
//   the key and its account only. Remembered per key and path.
//
// SECURITY
//   The answer is given only to the same Authorization header that was
//   verified; an entry is keyed by SHA-256 of it (with the path), so the
//   memory holds no key. Refusals are never remembered: a wrong, revoked or
//   expired key always goes to the handler. Every request that may change
//   state (any method but GET and HEAD) forgets every answer, before it runs
//   and again after, and an answer made while one ran is not kept (the
//   generation check): a key revoked, an account disabled or changed through
//   this webd takes effect at once. A change made outside it (appliancectl,
//   another process, a key's expiry) takes effect within `validity`
//   (kRecentValidity, one second).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "auth/clock.h"
#include "webd/autoconfig.h"

namespace appliance::webd {

inline constexpr std::chrono::milliseconds kRecentValidity{1000};

class RecentAnswers {
 public:
  using Handle = std::function<HttpResponse(const HttpRequest&)>;

  explicit RecentAnswers(const auth::Clock& clock,
                         std::chrono::milliseconds validity = kRecentValidity,
                         std::size_t max_entries = 10000);

  // The remembered answer to `request`, serialized, while it is valid.
  std::optional<std::string> recall(const HttpRequest& request, bool keep_alive);
  // handle(request), remembered when it may be; forgets on a change.
  HttpResponse answer(const HttpRequest& request, const Handle& handle);
  std::size_t size() const;

 private:
  struct Entry {
    HttpResponse response;
    std::string keep_alive;  // response, serialized for a keep-alive connection
    auth::Instant until;
  };
  // The entry's key, or empty when `request` is not one to remember.
  static std::string key_of(const HttpRequest& request);
  void forget_all();

  const auth::Clock& clock_;
  const std::chrono::milliseconds validity_;
  const std::size_t max_entries_;
  mutable std::mutex mutex_;
  std::uint64_t generation_ = 0;  // moved by every change
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace appliance::webd
