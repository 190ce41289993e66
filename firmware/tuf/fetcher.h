// NAME
//   fetcher.h - how the client asks for bytes: the only network boundary.
//
// DESCRIPTION
//   A Fetcher streams the body at a URL into a sink, and should stop as soon
//   as more than max_length bytes arrive (too_large). The updater counts the
//   bytes itself as well, so a careless fetcher cannot cause an endless data
//   attack. not_found (HTTP 403/404, missing file) is distinct from failure:
//   it ends root rotation normally.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace appliance::tuf {

enum class FetchStatus { ok, not_found, too_large, failed };

struct FetchResult {
  FetchStatus status = FetchStatus::failed;
  std::string detail;  // human text for not_found / failed
};

// Receives the body in order; returns false to stop the transfer.
using ChunkSink = std::function<bool(std::string_view chunk)>;

class Fetcher {
 public:
  virtual ~Fetcher() = default;
  virtual FetchResult fetch(const std::string& url, std::uint64_t max_length,
                            const ChunkSink& sink) = 0;
};

// Collects a whole body of at most max_length bytes, enforcing the limit
// whatever the fetcher does.
struct FetchedBytes {
  FetchResult result;
  std::string body;
};
FetchedBytes fetch_bytes(Fetcher& fetcher, const std::string& url, std::uint64_t max_length);

}  // namespace appliance::tuf
