// NAME
//   workload.h - deterministic test messages, for the writer, the crash test
//   and the benchmark.
//
// DESCRIPTION
//   A message is named by a seed ("t3-17"); its body is made again from the
//   seed, piece by piece, so that neither writing nor verifying a 3 MiB
//   message holds it whole. digest() is SHA-256 of the body; reading a stored
//   message back through digest_sink() must give the same.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>

#include "store/crypto.h"
#include "store/data_key.h"

namespace appliance::store::testing {

inline std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33, x *= 0xff51afd7ed558ccdULL, x ^= x >> 33, x *= 0xc4ceb9fe1a85ec53ULL;
  return x ^ (x >> 33);
}

inline std::uint64_t seed_hash(std::string_view seed) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : seed) h = (h ^ c) * 1099511628211ULL;
  return mix(h);
}

// Size: 2-20 KiB, or 1.5-3 MiB when `large` (spilled to a spool file, many chunks).
inline std::size_t body_size(std::string_view seed, bool large) {
  std::uint64_t h = seed_hash(seed);
  return large ? (3u << 19) + h % (3u << 19) : 2048 + h % (18 * 1024);
}

// Calls piece() with the body in pieces of at most 16 KiB: text lines that
// compress about 3:1, like mail, with `marker` in the first line.
inline void generate(std::string_view seed, std::size_t size, std::string_view marker,
                     const std::function<void(std::string_view)>& piece) {
  static constexpr std::string_view words[] = {"mail ",  "store ",  "durable ", "sealed ",
                                               "group ", "commit ", "chunk ",   "tenant "};
  std::string out = "Subject: test " + std::string(seed) + " " + std::string(marker) + "\r\n\r\n";
  std::uint64_t x = seed_hash(seed);
  std::size_t produced = 0;
  while (produced < size) {
    while (out.size() < std::min<std::size_t>(16384, size - produced)) {  // no more than needed
      x = mix(x + 1);
      out += words[x % 8];
      if (x % 11 == 0) out += std::to_string(x % 100000) + "\r\n";
    }
    std::size_t n = std::min(out.size(), size - produced);
    piece(std::string_view(out).substr(0, n));
    produced += n;
    out.erase(0, n);
  }
}

class Digest {
 public:
  Digest() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
  ~Digest() { EVP_MD_CTX_free(ctx_); }
  void update(std::string_view s) { EVP_DigestUpdate(ctx_, s.data(), s.size()); }
  std::string hex() {
    unsigned char d[32];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx_, d, &n);
    return crypto::hex(std::string_view(reinterpret_cast<char*>(d), n));
  }

 private:
  EVP_MD_CTX* ctx_;
};

inline std::string digest(std::string_view seed, std::size_t size, std::string_view marker) {
  Digest d;
  generate(seed, size, marker, [&](std::string_view p) { d.update(p); });
  return d.hex();
}

// A local data key source whose master key lives in <dir>/test-master-key, so
// that a restarted writer can unwrap what an earlier one wrapped. Tests only.
inline LocalDataKeySource local_keys(const std::filesystem::path& dir) {
  auto path = dir / "test-master-key";
  std::string key(32, '\0');
  if (std::ifstream in(path, std::ios::binary); in && in.read(key.data(), 32)) {
    return LocalDataKeySource(Secret(key));
  }
  std::filesystem::create_directories(dir);
  key = crypto::random_bytes(32).value();
  std::ofstream(path, std::ios::binary).write(key.data(), 32);
  return LocalDataKeySource(Secret(key));
}

}  // namespace appliance::store::testing
