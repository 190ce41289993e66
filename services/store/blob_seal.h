// NAME
//   blob_seal.h - message blobs: content address, zstd, AES-256-GCM in chunks.
//
// DESCRIPTION
//   A blob is sealed as it streams in, so a message of tens of megabytes is
//   never held whole in memory:
//
//     plaintext --HMAC-SHA256(id key)--> content address (blob id)
//               --zstd stream--> compressed --64 KiB pieces--> AES-256-GCM chunks
//
//   Every key is derived (HKDF-SHA256) from the account's data key: an id key,
//   a seal key, and a key for small metadata values. Each blob has a random
//   32-byte salt in its header and its own key HKDF(seal key, salt). Chunk n is
//   sealed with nonce = n (8 bytes, big endian) | 0 0 0 | final flag, and the
//   header as associated data (the STREAM construction), so chunks cannot be
//   reordered, dropped, moved to another blob, or the blob cut short, without
//   the opener saying so.
//
//   The header is 37 bytes: "ASB1", codec (1 = zstd), salt.
//
//   A blob of at most kChunkSize bytes is compressed as one frame of known
//   size once it is complete; a longer one as a stream (the same format:
//   a zstd frame either way).
//
// SECURITY
//   BlobOpener reads bytes from storage files: it trusts nothing in them, never
//   writes more plaintext than the recorded size, and is fuzzed
//   (store_blob_fuzz).
#pragma once

#include <zstd.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/secret.h"
#include "store/crypto.h"

namespace appliance::store {

constexpr std::size_t kChunkSize = 64 * 1024;  // compressed bytes per sealed chunk
constexpr std::size_t kBlobIdSize = 32;
constexpr std::size_t kSaltSize = 32;
constexpr std::size_t kHeaderSize = 4 + 1 + kSaltSize;
constexpr std::size_t kMaxSealedChunk = kChunkSize + crypto::kTagSize;

// The keys of one account, derived from its data key.
struct AccountKeys {
  Secret id;
  Secret seal;
  Secret meta;
  static Result<AccountKeys> derive(const Secret& data_key);
};

struct BlobHeader {
  std::uint8_t codec = 1;
  std::string salt;
  std::string encode() const;
  static Result<BlobHeader> parse(std::string_view bytes);
};

class BlobSealer {
 public:
  using Emit = std::function<Result<void>(std::string_view sealed_chunk)>;
  static Result<BlobSealer> start(const AccountKeys& keys);

  Result<void> write(std::string_view plain, const Emit& emit);
  Result<void> finish(const Emit& emit);

  const std::string& header() const { return header_; }
  const std::string& id() const { return id_; }  // after finish
  std::uint64_t size() const { return size_; }
  std::uint64_t chunks() const { return seq_; }

 private:
  struct Free {
    void operator()(ZSTD_CCtx* c) const;  // back to the pool of contexts
  };
  Result<void> compress(std::string_view in, ZSTD_EndDirective mode, const Emit& emit);
  Result<void> stream_held(const Emit& emit);
  Result<void> seal_full_chunks(const Emit& emit);
  Result<void> seal(std::string_view piece, bool final, const Emit& emit);

  Secret key_;
  crypto::Hmac mac_;
  std::unique_ptr<ZSTD_CCtx, Free> zstd_;
  std::string header_, pending_, id_;
  // The first kChunkSize plaintext bytes, held until the size is known or
  // passes them: zstd told the size of a small blob uses tables sized for
  // it (about 100 KiB of context, not 3.6 MiB), which stay in the cache.
  std::string held_;
  bool streaming_ = false;
  std::uint64_t size_ = 0, seq_ = 0;
  bool finished_ = false;
};

class BlobOpener {
 public:
  using Sink = std::function<Result<void>(std::string_view plain)>;
  // id and size as recorded beside the blob; both are checked at finish().
  static Result<BlobOpener> start(const AccountKeys& keys, std::string_view header,
                                  std::string_view id, std::uint64_t size);

  // Chunks in order; `last` for the final one stored.
  Result<void> chunk(std::string_view sealed, bool last, const Sink& sink);
  Result<void> finish();

 private:
  // Hands the context back to the pool of idle ones (blob_seal.cpp).
  struct Free {
    void operator()(ZSTD_DCtx* c) const;
  };
  Result<void> decompress(std::string_view in, const Sink& sink);

  Secret key_;
  crypto::Hmac mac_;
  std::unique_ptr<ZSTD_DCtx, Free> zstd_;
  std::string header_, id_;
  std::uint64_t size_ = 0, seen_ = 0, seq_ = 0;
  std::size_t frame_left_ = 1;  // ZSTD_decompressStream's hint; 0 when the frame is complete
  bool final_ = false;
};

// Small metadata values (message summaries): random nonce | AES-256-GCM under
// the account's meta key, with `aad` naming where the value belongs.
Result<std::string> seal_value(const AccountKeys& keys, std::string_view plain,
                               std::string_view aad);
Result<std::string> open_value(const AccountKeys& keys, std::string_view sealed,
                               std::string_view aad);

// What a message summary is bound to, and what an account's wrapped data key
// is bound to (the tenant and the account's random key id). Both backends use
// these, so sealed values and wrapped keys move between them.
std::string summary_aad(std::int64_t account, std::string_view blob);
std::string data_key_context(std::int64_t tenant, std::string_view key_id);

}  // namespace appliance::store
