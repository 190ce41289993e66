// Fuzz target: the counters report reader never crashes, and what it accepts
// formats and reads back the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/counters_report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto report = appliance::parse_counters_report(text);
  if (!report) return 0;
  auto again = appliance::parse_counters_report(appliance::format_counters_report(*report));
  if (!again || again->daemon != report->daemon || again->pid != report->pid ||
      again->boot_id != report->boot_id || again->written_ms != report->written_ms ||
      again->messages_in != report->messages_in ||
      again->tls_handshakes != report->tls_handshakes ||
      again->tls_handshake_failures != report->tls_handshake_failures ||
      again->keyd_requests != report->keyd_requests ||
      again->keyd_request_us != report->keyd_request_us ||
      again->messages_in_hours != report->messages_in_hours)
    std::abort();
  return 0;
}
