// NAME
//   hold.cpp - a message held sealed under a key of its own, then replayed.
#include "smtpd/hold.h"

#include "store/crypto.h"

namespace appliance::smtpd {

Result<SealedHold> SealedHold::start(const std::filesystem::path& spool) {
  auto raw = store::crypto::random_bytes(32);
  if (!raw) return raw.error();
  auto keys = store::AccountKeys::derive(Secret(std::move(*raw)));
  if (!keys) return keys.error();
  auto shared = std::make_shared<const store::AccountKeys>(std::move(*keys));
  auto held = store::BlobWriter::start(0, shared, spool);
  if (!held) return held.error();
  return SealedHold(shared, std::move(*held));
}

Result<void> SealedHold::replay(const Sink& sink) {
  if (!held_->finished())
    if (auto f = held_->finish(); !f) return f;
  auto opener = store::BlobOpener::start(*keys_, held_->header(), held_->id(), held_->size());
  if (!opener) return opener.error();
  std::uint64_t chunks = held_->chunks();
  auto r = held_->for_each_chunk([&](std::uint64_t seq, std::string_view sealed) {
    return opener->chunk(sealed, seq + 1 == chunks, sink);
  });
  if (!r) return r;
  return opener->finish();
}

}  // namespace appliance::smtpd
