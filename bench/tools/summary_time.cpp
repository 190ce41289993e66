// NAME
//   summary_time - CPU time of one MIME summary, by each of its two paths.
//
// SYNOPSIS
//   summary_time FILE [COUNT]
//
// DESCRIPTION
//   Summarises the message in FILE COUNT times (default 20,000) as smtpd and
//   imapd do (mime::summarize: without GMime's parse when the header is
//   plain, proto/mime/simple_header.h), and as many times through GMime's
//   parse of the whole message (mime::testing::analyse_with_gmime), and
//   prints the median over five batches of each, in us per summary, and
//   whether the message took the simple path at all.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "proto/common/ascii.h"
#include "proto/mime/simple_header.h"
#include "proto/mime/summary.h"

using namespace appliance;

namespace {

double median_us(long count, const std::function<void()>& one) {
  std::vector<double> batches;
  for (int b = 0; b < 5; ++b) {
    auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < count; ++i) one();
    std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
    batches.push_back(took.count() / static_cast<double>(count));
  }
  std::sort(batches.begin(), batches.end());
  return batches[2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: summary_time FILE [COUNT]\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::string message((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) {
    std::fprintf(stderr, "summary_time: cannot read %s\n", argv[1]);
    return 1;
  }
  long count = argc > 2 ? std::max(1L, std::atol(argv[2])) : 20000;
  // The simple path: a plain header of a single part (a multipart or
  // message type goes to GMime's parse).
  auto end = message.find("\r\n\r\n");
  auto fields = end != std::string::npos ? mime::simple_fields(message.substr(0, end + 4))
                                         : std::nullopt;
  const auto* type = fields ? fields->get("Content-Type") : nullptr;
  bool simple = fields && !(type && (ascii::lowered(type->value).starts_with("multipart") ||
                                     ascii::lowered(type->value).starts_with("message")));
  double summary = median_us(count, [&] { (void)mime::summarize(message); });
  double gmime = median_us(count, [&] {
    auto s = mime::testing::analyse_with_gmime(message);
    if (s) (void)mime::serialize(*s);
  });
  std::printf("summary of the message (%zu bytes, %s): %.1f us; through GMime's parse %.1f us\n",
              message.size(), simple ? "simple path" : "GMime's parse", summary, gmime);
  return 0;
}
