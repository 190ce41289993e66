// NAME
//   blob_seal.cpp - streaming seal and open of message blobs.
//
// DESCRIPTION
//   See blob_seal.h for the format. The sealer keeps at most one chunk of
//   compressed bytes plus zstd's window; the opener at most one chunk and one
//   zstd output buffer.
#include "store/blob_seal.h"

#include <openssl/crypto.h>

#include <fmt/format.h>

#include <mutex>
#include <vector>

namespace appliance::store {
namespace {

constexpr std::string_view kMagic = "ASB1";
constexpr std::size_t kOutBuffer = 16384;

std::string chunk_nonce(std::uint64_t seq, bool final) {
  std::string n(crypto::kNonceSize, '\0');
  for (int i = 0; i < 8; ++i) n[i] = static_cast<char>((seq >> (56 - 8 * i)) & 0xff);
  n[11] = final ? 1 : 0;
  return n;
}

Error zstd_error(std::size_t rc) {
  return make_error(fmt::format("zstd: {}", ZSTD_getErrorName(rc)));
}

}  // namespace

Result<AccountKeys> AccountKeys::derive(const Secret& data_key) {
  if (data_key.size() != crypto::kKeySize) return make_error("a data key must be 32 bytes");
  auto id = crypto::hkdf(data_key, "", "appliance store blob-id v1");
  auto seal = crypto::hkdf(data_key, "", "appliance store blob-seal v1");
  auto meta = crypto::hkdf(data_key, "", "appliance store meta-seal v1");
  if (!id) return id.error();
  if (!seal) return seal.error();
  if (!meta) return meta.error();
  return AccountKeys{std::move(*id), std::move(*seal), std::move(*meta)};
}

std::string BlobHeader::encode() const {
  std::string out(kMagic);
  out += static_cast<char>(codec);
  out += salt;
  return out;
}

Result<BlobHeader> BlobHeader::parse(std::string_view bytes) {
  if (bytes.size() != kHeaderSize)
    return make_error(
        fmt::format("blob header is {} bytes, expected {}", bytes.size(), kHeaderSize));
  if (bytes.substr(0, 4) != kMagic) return make_error("blob header has no ASB1 magic");
  BlobHeader h;
  h.codec = static_cast<std::uint8_t>(bytes[4]);
  if (h.codec != 1) return make_error(fmt::format("blob codec {} is unknown", h.codec));
  h.salt = std::string(bytes.substr(5));
  return h;
}

namespace {

// zstd contexts are kept for reuse. A new compression context clears its
// tables (about a megabyte at level 3) on its first frame, a new
// decompression context initialises about 100 KiB; either costs more than
// sealing or opening a 4 KiB message (a FETCH of a thousand headers opened a
// thousand). A reused one does not. Sealers and openers may end on another
// thread than they started on, hence one pool per kind, not per thread.
template <class Ctx, Ctx* (*create)(), std::size_t (*reset)(Ctx*, ZSTD_ResetDirective),
          std::size_t (*destroy)(Ctx*)>
class ContextPool {
 public:
  static ContextPool& instance() {
    static ContextPool pool;
    return pool;
  }
  ~ContextPool() {
    for (Ctx* c : idle_) destroy(c);
  }
  Ctx* take() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        Ctx* c = idle_.back();
        idle_.pop_back();
        return c;
      }
    }
    return create();
  }
  void give(Ctx* c) {
    // An unfinished frame (a failed seal or open) is dropped.
    if (ZSTD_isError(reset(c, ZSTD_reset_session_only))) return void(destroy(c));
    std::lock_guard lock(mutex_);
    if (idle_.size() < kMaxIdle) return idle_.push_back(c);
    destroy(c);
  }

 private:
  static constexpr std::size_t kMaxIdle = 64;
  std::mutex mutex_;
  std::vector<Ctx*> idle_;
};

ZSTD_CCtx* new_compressor() {
  ZSTD_CCtx* c = ZSTD_createCCtx();
  if (c) ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 3);
  return c;
}

using Compressors = ContextPool<ZSTD_CCtx, new_compressor, ZSTD_CCtx_reset, ZSTD_freeCCtx>;
using Decompressors = ContextPool<ZSTD_DCtx, ZSTD_createDCtx, ZSTD_DCtx_reset, ZSTD_freeDCtx>;

}  // namespace

void BlobSealer::Free::operator()(ZSTD_CCtx* c) const {
  Compressors::instance().give(c);
}

Result<BlobSealer> BlobSealer::start(const AccountKeys& keys) {
  BlobSealer s;
  auto salt = crypto::random_bytes(kSaltSize);
  if (!salt) return salt.error();
  s.header_ = BlobHeader{1, *salt}.encode();
  auto key = crypto::hkdf(keys.seal, *salt, "appliance store blob key v1");
  if (!key) return key.error();
  s.key_ = std::move(*key);
  auto mac = crypto::Hmac::start(keys.id);
  if (!mac) return mac.error();
  s.mac_ = std::move(*mac);
  s.zstd_.reset(Compressors::instance().take());
  if (!s.zstd_) return make_error("zstd: cannot create a compression context");
  return s;
}

Result<void> BlobSealer::write(std::string_view plain, const Emit& emit) {
  if (finished_) return make_error("blob already finished");
  size_ += plain.size();
  if (auto r = mac_.update(plain); !r) return r;
  if (!streaming_ && held_.size() + plain.size() <= kChunkSize) {
    held_.append(plain);
    return {};
  }
  if (auto r = stream_held(emit); !r) return r;
  return compress(plain, ZSTD_e_continue, emit);
}

// The blob is longer than what is held: from here on a stream of unknown size.
Result<void> BlobSealer::stream_held(const Emit& emit) {
  if (streaming_) return {};
  streaming_ = true;
  auto r = compress(held_, ZSTD_e_continue, emit);
  std::string().swap(held_);
  return r;
}

Result<void> BlobSealer::finish(const Emit& emit) {
  if (finished_) return make_error("blob already finished");
  finished_ = true;
  if (!streaming_) {
    std::size_t rc = ZSTD_CCtx_setPledgedSrcSize(zstd_.get(), held_.size());
    if (ZSTD_isError(rc)) return zstd_error(rc);
  }
  if (auto r = compress(streaming_ ? std::string_view() : held_, ZSTD_e_end, emit); !r) return r;
  auto id = mac_.finish();
  if (!id) return id.error();
  id_ = std::move(*id);
  return seal(pending_, true, emit);
}

Result<void> BlobSealer::compress(std::string_view in, ZSTD_EndDirective mode, const Emit& emit) {
  ZSTD_inBuffer input{in.data(), in.size(), 0};
  char out[kOutBuffer];  // zstd loops until all is out: no need for its recommended 128 KiB
  for (;;) {
    ZSTD_outBuffer output{out, sizeof out, 0};
    std::size_t left = ZSTD_compressStream2(zstd_.get(), &output, &input, mode);
    if (ZSTD_isError(left)) return zstd_error(left);
    pending_.append(out, output.pos);
    if (auto r = seal_full_chunks(emit); !r) return r;
    bool done = mode == ZSTD_e_end ? left == 0 : input.pos == input.size;
    if (done) return {};
  }
}

// Keeps the tail (at least one byte once there is any) for the final chunk.
Result<void> BlobSealer::seal_full_chunks(const Emit& emit) {
  std::size_t at = 0;
  while (pending_.size() - at > kChunkSize) {
    if (auto r = seal(std::string_view(pending_).substr(at, kChunkSize), false, emit); !r) return r;
    at += kChunkSize;
  }
  pending_.erase(0, at);
  return {};
}

Result<void> BlobSealer::seal(std::string_view piece, bool final, const Emit& emit) {
  auto sealed = crypto::gcm_seal(key_, chunk_nonce(seq_, final), header_, piece);
  if (!sealed) return sealed.error();
  ++seq_;
  return emit(*sealed);
}

void BlobOpener::Free::operator()(ZSTD_DCtx* c) const {
  Decompressors::instance().give(c);
}

Result<BlobOpener> BlobOpener::start(const AccountKeys& keys, std::string_view header,
                                     std::string_view id, std::uint64_t size) {
  auto h = BlobHeader::parse(header);
  if (!h) return h.error();
  if (id.size() != kBlobIdSize) return make_error("blob id is not 32 bytes");
  BlobOpener o;
  o.header_ = std::string(header);
  o.id_ = std::string(id);
  o.size_ = size;
  auto key = crypto::hkdf(keys.seal, h->salt, "appliance store blob key v1");
  if (!key) return key.error();
  o.key_ = std::move(*key);
  auto mac = crypto::Hmac::start(keys.id);
  if (!mac) return mac.error();
  o.mac_ = std::move(*mac);
  o.zstd_.reset(Decompressors::instance().take());
  if (!o.zstd_) return make_error("zstd: cannot create a decompression context");
  return o;
}

Result<void> BlobOpener::chunk(std::string_view sealed, bool last, const Sink& sink) {
  if (final_) return make_error(fmt::format("chunk {} follows the final chunk", seq_));
  if (sealed.size() > kMaxSealedChunk)
    return make_error(
        fmt::format("chunk {} is {} bytes, more than {}", seq_, sealed.size(), kMaxSealedChunk));
  auto plain = crypto::gcm_open(key_, chunk_nonce(seq_, last), header_, sealed);
  if (!plain) {
    // A final chunk that opens as non-final means the blob was cut short.
    bool cut = last && crypto::gcm_open(key_, chunk_nonce(seq_, false), header_, sealed).ok();
    return make_error(cut ? fmt::format("truncated: chunk {} is not the final chunk", seq_)
                          : fmt::format("chunk {}: {}", seq_, plain.message()));
  }
  ++seq_;
  final_ = last;
  return decompress(*plain, sink);
}

Result<void> BlobOpener::decompress(std::string_view in, const Sink& sink) {
  ZSTD_inBuffer input{in.data(), in.size(), 0};
  char out[kOutBuffer];
  while (input.pos < input.size || (final_ && frame_left_ != 0)) {
    ZSTD_outBuffer output{out, sizeof out, 0};
    std::size_t left = ZSTD_decompressStream(zstd_.get(), &output, &input);
    if (ZSTD_isError(left)) return zstd_error(left);
    frame_left_ = left;
    seen_ += output.pos;
    if (seen_ > size_)
      return make_error(fmt::format("blob is longer than its recorded {} bytes", size_));
    std::string_view piece(out, output.pos);
    if (auto r = mac_.update(piece); !r) return r;
    if (!piece.empty())
      if (auto r = sink(piece); !r) return r;
    if (output.pos == 0 && input.pos == input.size) break;  // no progress: needs more input
  }
  return {};
}

Result<void> BlobOpener::finish() {
  if (!final_) return make_error(fmt::format("truncated: no final chunk after {} chunks", seq_));
  if (frame_left_ != 0) return make_error("truncated: the compressed stream is incomplete");
  if (seen_ != size_) return make_error(fmt::format("blob is {} bytes, {} recorded", seen_, size_));
  auto mac = mac_.finish();
  if (!mac) return mac.error();
  if (CRYPTO_memcmp(mac->data(), id_.data(), kBlobIdSize) != 0)
    return make_error("content does not match its address");
  return {};
}

Result<std::string> seal_value(const AccountKeys& keys, std::string_view plain,
                               std::string_view aad) {
  auto nonce = crypto::random_bytes(crypto::kNonceSize);
  if (!nonce) return nonce.error();
  auto sealed = crypto::gcm_seal(keys.meta, *nonce, aad, plain);
  if (!sealed) return sealed.error();
  return *nonce + *sealed;
}

Result<std::string> open_value(const AccountKeys& keys, std::string_view sealed,
                               std::string_view aad) {
  if (sealed.size() < crypto::kNonceSize + crypto::kTagSize)
    return make_error("sealed value is too short");
  return crypto::gcm_open(keys.meta, sealed.substr(0, crypto::kNonceSize), aad,
                          sealed.substr(crypto::kNonceSize));
}

std::string summary_aad(std::int64_t account, std::string_view blob) {
  return fmt::format("message summary: account {} blob {}", account, crypto::hex(blob));
}

std::string data_key_context(std::int64_t tenant, std::string_view key_id) {
  return fmt::format("appliance mail data key: tenant {} key {}", tenant, crypto::hex(key_id));
}

}  // namespace appliance::store
