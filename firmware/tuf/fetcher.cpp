// NAME
//   fetcher.cpp - the length-enforcing wrapper shared by every download.
#include "tuf/fetcher.h"

namespace appliance::tuf {

FetchedBytes fetch_bytes(Fetcher& fetcher, const std::string& url, std::uint64_t max_length) {
  FetchedBytes out;
  bool overflow = false;
  out.result = fetcher.fetch(url, max_length, [&](std::string_view chunk) {
    if (chunk.size() > max_length - out.body.size()) {
      overflow = true;
      return false;
    }
    out.body.append(chunk);
    return true;
  });
  if (overflow) out.result.status = FetchStatus::too_large;
  if (out.result.status != FetchStatus::ok) out.body.clear();
  return out;
}

}  // namespace appliance::tuf
