// Fuzz target: frame reassembly and strict body readers never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/ipc.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  appliance::ipc::FrameDecoder decoder(4096);
  // Feed in two pieces, as a stream would deliver them.
  decoder.feed(bytes.substr(0, size / 2));
  decoder.feed(bytes.substr(size / 2));
  for (int i = 0; i < 64; ++i) {
    auto m = decoder.next();
    if (!m || !m->has_value()) break;
    appliance::ipc::Reader r((*m)->body);
    (void)r.boolean();
    (void)r.str(512);
    (void)r.u32();
    (void)r.u64();
    (void)r.bytes(1024);
    (void)r.end();
  }
  return 0;
}
