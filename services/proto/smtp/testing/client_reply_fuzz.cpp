// Fuzz target: the client's reply reader never crashes, consumes input only
// forward, and every reply it yields has a code in range and a line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "proto/smtp/client_reply.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace appliance::smtp;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ReplyReader reader;
  // Fed in pieces of varying size, as reads arrive.
  for (std::size_t at = 0, step = 1; at < input.size(); at += step, step = step * 2 % 61 + 1) {
    reader.feed(input.substr(at, step));
    for (;;) {
      auto r = reader.next();
      if (!r) return 0;
      if (!r->has_value()) break;
      const ServerReply& reply = **r;
      if (reply.code < 200 || reply.code > 559 || reply.lines.empty()) std::abort();
      (void)reply.summary();
      (void)ehlo_keywords(reply);
    }
  }
  (void)parse_reply(input);
  return 0;
}
