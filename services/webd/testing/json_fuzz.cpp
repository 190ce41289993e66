// NAME
//   json_fuzz.cpp - libFuzzer target: REST API request bodies and cookie
//   headers parsed from arbitrary bytes, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "webd/json_body.h"
#include "webd/sessions.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace appliance::webd;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto body = parse_json_body(input)) {
    (void)string_field(*body, "address", 254);
    (void)integer_field(*body, "expires");
  }
  (void)session_cookie(input);
  return 0;
}
