// Fuzz target: the TLSA and TTL answer readers never crash or read past a
// response, and every record parse_tlsa returns has the bytes it claims.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "dns/answer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view message(reinterpret_cast<const char*>(data), size);
  if (appliance::dns::cache_ttl(message) > 0x7fffffffu) std::abort();  // RFC 2181 8
  auto parsed = appliance::dns::parse_tlsa(message);
  if (parsed) {
    std::size_t total = 0;
    for (const auto& t : *parsed) total += t.data.size() + 3;
    if (total > size) std::abort();
  } else if (parsed.message().empty()) {
    std::abort();
  }
  return 0;
}
