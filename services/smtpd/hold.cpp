// NAME
//   hold.cpp - a message held in memory, or sealed under a key of its own
//   once large, then replayed.
#include "smtpd/hold.h"

#include "store/crypto.h"

namespace appliance::smtpd {

Result<void> HeldBytes::write(std::string_view bytes) {
  if (!held_ && plain_.size() + bytes.size() <= kPlainHold) {
    plain_ += bytes;
    return {};
  }
  if (!held_)
    if (auto s = seal(); !s) return s;
  return held_->write(bytes);
}

// From here on the bytes are sealed: what was held in memory goes first.
Result<void> HeldBytes::seal() {
  auto raw = store::crypto::random_bytes(32);
  if (!raw) return raw.error();
  auto keys = store::AccountKeys::derive(Secret(std::move(*raw)));
  if (!keys) return keys.error();
  keys_ = std::make_shared<const store::AccountKeys>(std::move(*keys));
  auto held = store::BlobWriter::start(0, keys_, spool_);
  if (!held) return held.error();
  held_ = std::move(*held);
  auto w = held_->write(plain_);
  std::string().swap(plain_);
  return w;
}

Result<void> HeldBytes::replay(const Sink& sink) {
  if (!held_) return sink(plain_);
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
