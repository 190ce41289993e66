// Fuzz target: the update status reader never crashes, and what it accepts
// formats and reads back the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/update_status.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto status = appliance::parse_update_status(text);
  if (!status) return 0;
  auto again = appliance::parse_update_status(appliance::format_update_status(*status));
  if (!again || again->channel != status->channel || again->install != status->install ||
      again->state != status->state || again->last_check != status->last_check ||
      again->result != status->result || again->message != status->message ||
      again->running_version != status->running_version ||
      again->available_version != status->available_version ||
      again->pending_version != status->pending_version || again->boot != status->boot)
    std::abort();
  return 0;
}
