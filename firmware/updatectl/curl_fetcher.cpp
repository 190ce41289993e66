// NAME
//   curl_fetcher.cpp - libcurl easy transfers with limits set where the bytes
//   are read.
//
// SECURITY
//   Everything received is untrusted; this file only bounds it. Protocols are
//   limited to http, https and file (redirects: http and https only).
#include "updatectl/curl_fetcher.h"

#include <curl/curl.h>

#include <memory>

namespace appliance::updatectl {
namespace {

struct Transfer {
  CURL* curl = nullptr;
  const tuf::ChunkSink* sink = nullptr;
  std::uint64_t max_length = 0;
  std::uint64_t received = 0;
  bool too_large = false;
  bool refused = false;  // the sink asked to stop
  bool error_status = false;
};

bool http_error(CURL* curl) {
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  return code >= 400;
}

std::size_t on_data(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (http_error(t->curl)) {
    t->error_status = true;  // do not hand an error page to the sink
    return n;
  }
  if (n > t->max_length - t->received) {
    t->too_large = true;
    return 0;
  }
  t->received += n;
  if (!(*t->sink)(std::string_view(data, n))) {
    t->refused = true;
    return 0;
  }
  return n;
}

struct CurlFree {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};

void configure(CURL* curl, const CurlFetcherOptions& o, const std::string& url, Transfer& t) {
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https,file");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, o.max_redirects);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, o.connect_timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, o.low_speed_bytes_per_second);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, o.low_speed_seconds);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  // Refuse early when the server announces a larger body.
  if (t.max_length < static_cast<std::uint64_t>(INT64_MAX)) {
    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(t.max_length));
  }
}

}  // namespace

tuf::FetchResult CurlFetcher::fetch(const std::string& url, std::uint64_t max_length,
                                    const tuf::ChunkSink& sink) {
  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (!curl) return {tuf::FetchStatus::failed, "curl_easy_init failed"};
  Transfer t{curl.get(), &sink, max_length};
  configure(curl.get(), options_, url, t);
  CURLcode rc = curl_easy_perform(curl.get());
  long code = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &code);
  if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED) return {tuf::FetchStatus::too_large, ""};
  if (code == 403 || code == 404 || code == 410 || rc == CURLE_FILE_COULDNT_READ_FILE) {
    return {tuf::FetchStatus::not_found, url + " not found"};
  }
  if (t.refused) return {tuf::FetchStatus::failed, "transfer stopped by the receiver"};
  if (rc != CURLE_OK) return {tuf::FetchStatus::failed, curl_easy_strerror(rc)};
  if (code >= 400 || t.error_status) {
    return {tuf::FetchStatus::failed, "HTTP status " + std::to_string(code)};
  }
  return {tuf::FetchStatus::ok, ""};
}

}  // namespace appliance::updatectl
