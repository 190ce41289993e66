// Fuzz target: CIDR and address text; what parses prints back and matches itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "auth/cidr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto cidr = appliance::auth::parse_cidr(text);
  if (cidr) {
    auto again = appliance::auth::parse_cidr(appliance::auth::to_string(*cidr));
    if (!again || !(*again == *cidr) || !cidr->contains(cidr->base)) __builtin_trap();
  }
  (void)appliance::auth::parse_ip(text);
  return 0;
}
