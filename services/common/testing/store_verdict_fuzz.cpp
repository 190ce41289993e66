// Fuzz target: the store verdict reader never crashes, and what it accepts
// formats and reads back the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/store_verdict.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto verdict = appliance::parse_store_verdict(text);
  if (!verdict) return 0;
  auto again = appliance::parse_store_verdict(appliance::format_store_verdict(*verdict));
  if (!again || again->boot_id != verdict->boot_id || again->time != verdict->time ||
      again->ok != verdict->ok || again->reason != verdict->reason)
    std::abort();
  return 0;
}
