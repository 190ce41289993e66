// Fuzz target: a presented app password or API key is parsed strictly, never crashes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "auth/tokens.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  appliance::Secret presented(std::string(reinterpret_cast<const char*>(data), size));
  auto token = appliance::auth::parse_token(presented);
  // Whatever parses has the documented shape.
  if (token && (token->id.size() != 8 || token->secret.size() != 32)) __builtin_trap();
  (void)appliance::auth::parse_protocols(presented.reveal());
  return 0;
}
