// Fuzz target: a stored password hash read back from the database.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "auth/password.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto stored = appliance::auth::parse_stored_password(text);
  // What parses formats back to a text that parses to the same thing.
  if (stored) {
    auto again = appliance::auth::parse_stored_password(format_stored_password(*stored));
    if (!again || again->salt != stored->salt || again->tag != stored->tag ||
        !(again->params == stored->params) || again->key != stored->key)
      __builtin_trap();
  }
  return 0;
}
