// NAME
//   curl_fetcher.h - a tuf::Fetcher over libcurl, for http, https and file URLs.
//
// DESCRIPTION
//   Stops a transfer as soon as it passes max_length (endless data) or runs
//   slower than a floor for too long (slow retrieval); treats HTTP 403/404
//   and a missing file as not_found. Redirects are followed only to http and
//   https, and at most a few times.
#pragma once

#include "tuf/fetcher.h"

namespace appliance::updatectl {

struct CurlFetcherOptions {
  long connect_timeout_seconds = 30;
  long low_speed_bytes_per_second = 1024;  // slow retrieval floor...
  long low_speed_seconds = 60;             // ...held for this long aborts
  long max_redirects = 5;
};

class CurlFetcher : public tuf::Fetcher {
 public:
  explicit CurlFetcher(CurlFetcherOptions options = {}) : options_(options) {}
  tuf::FetchResult fetch(const std::string& url, std::uint64_t max_length,
                         const tuf::ChunkSink& sink) override;

 private:
  CurlFetcherOptions options_;
};

}  // namespace appliance::updatectl
