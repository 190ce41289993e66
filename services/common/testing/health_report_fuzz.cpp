// Fuzz target: the health report reader never crashes, and what it accepts
// formats and reads back the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/health_report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto report = appliance::parse_health_report(text);
  if (!report) return 0;
  auto again = appliance::parse_health_report(appliance::format_health_report(*report));
  if (!again || again->daemon != report->daemon || again->pid != report->pid ||
      again->boot_id != report->boot_id || again->written_ms != report->written_ms ||
      again->ready != report->ready || again->reason != report->reason)
    std::abort();
  return 0;
}
