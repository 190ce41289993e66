// Fuzz target: keyd's request reader never crashes, and what it accepts
// encodes back to the same frame.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "keyd/protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace appliance;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ipc::FrameDecoder decoder(keyd::kMaxFrame);
  decoder.feed(bytes);
  for (int i = 0; i < 16; ++i) {
    auto m = decoder.next();
    if (!m || !m->has_value()) break;
    auto q = keyd::decode_request(**m);
    if (!q) continue;
    ipc::Writer again = keyd::encode_request(*q);
    if (again.frame().substr(8) != (*m)->body) abort();
  }
  return 0;
}
