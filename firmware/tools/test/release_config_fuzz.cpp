// NAME
//   release_config_fuzz.cpp - releasectl.json and durations from arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tools/release_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = appliance::release::parse_config(text);
  if (config) (void)appliance::release::format_config(*config);
  (void)appliance::release::parse_duration(text);
  return 0;
}
