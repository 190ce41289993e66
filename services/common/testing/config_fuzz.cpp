// Fuzz target: the configuration parser and typed reader never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = appliance::config::parse(text, "fuzz.conf");
  if (!doc) return 0;
  for (const auto& name : appliance::config::known_sections()) {
    appliance::config::Reader r(*doc, name);
    (void)r.string("user", "");
    (void)r.integer("port", 0, 65535, 0);
    (void)r.boolean("enabled", false);
    (void)r.path("home", "/");
    (void)r.endpoint("listen.smtp", "127.0.0.1:0");
    (void)r.finish();
  }
  return 0;
}
