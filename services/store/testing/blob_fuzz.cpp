// NAME
//   blob_fuzz - the blob opener reads untrusted stored bytes and never crashes.
//
// DESCRIPTION
//   Input: a 37-byte header, then records `u16 length | bytes` as sealed
//   chunks. Half the inputs are first sealed properly and then damaged at the
//   fuzzer's choice, so the opener is driven past authentication too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "store/blob_seal.h"

using namespace appliance;
using namespace appliance::store;

namespace {

const AccountKeys& keys() {
  static AccountKeys k = AccountKeys::derive(Secret(std::string(32, 'k'))).value();
  return k;
}

Result<void> ignore(std::string_view) {
  return {};
}

void open_records(std::string_view header, std::string_view id, std::uint64_t size,
                  std::string_view rest) {
  auto o = BlobOpener::start(keys(), header, id, size);
  if (!o) return;
  while (rest.size() >= 2) {
    std::size_t n =
        (static_cast<unsigned char>(rest[0]) << 8) | static_cast<unsigned char>(rest[1]);
    rest.remove_prefix(2);
    n = std::min(n, rest.size());
    bool last = rest.size() == n;
    if (!o->chunk(rest.substr(0, n), last, ignore)) return;
    rest.remove_prefix(n);
  }
  (void)o->finish();
}

// Seals the input as a real blob, flips one byte chosen by the input, opens it.
void damaged_real(std::string_view input) {
  auto s = BlobSealer::start(keys());
  if (!s) return;
  std::string sealed;
  std::vector<std::string> chunks;
  auto keep = [&](std::string_view c) -> Result<void> {
    chunks.emplace_back(c);
    return {};
  };
  if (!s->write(input, keep) || !s->finish(keep)) return;
  if (!input.empty() && !chunks.empty()) {
    std::size_t at = static_cast<unsigned char>(input[0]) % chunks[0].size();
    if (input.size() > 1 && input[1] & 1) chunks[0][at] ^= 0x40;
  }
  auto o = BlobOpener::start(keys(), s->header(), s->id(), s->size());
  if (!o) return;
  for (std::size_t i = 0; i < chunks.size(); ++i)
    if (!o->chunk(chunks[i], i + 1 == chunks.size(), ignore)) return;
  (void)o->finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (size > 0 && data[0] & 1) {
    damaged_real(in.substr(1));
    return 0;
  }
  if (in.size() < kHeaderSize + kBlobIdSize + 1) return 0;
  open_records(in.substr(0, kHeaderSize), in.substr(kHeaderSize, kBlobIdSize),
               static_cast<unsigned char>(in[kHeaderSize + kBlobIdSize]) * 1000,
               in.substr(kHeaderSize + kBlobIdSize + 1));
  return 0;
}
