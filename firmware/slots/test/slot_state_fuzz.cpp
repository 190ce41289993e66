// NAME
//   slot_state_fuzz.cpp - the boot state parser from arbitrary bytes; what
//   parses must format and parse back to the same state.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "slots/slot_state.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace appliance::slots;
  auto state = parse_state(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!state) return 0;
  const std::string text = format_state(*state);
  auto again = parse_state(text);
  if (!again || format_state(*again) != text) std::abort();
  return 0;
}
