// NAME
//   crypto.h - the few primitives the store seals with: HKDF, HMAC, AES-256-GCM.
//
// DESCRIPTION
//   Thin Result-returning wrappers over OpenSSL 3's EVP interfaces, so that
//   blob and metadata sealing read as what they do. Keys travel as Secret.
//   Nothing here throws; every OpenSSL failure becomes an Error.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/secret.h"

namespace appliance::store::crypto {

constexpr std::size_t kKeySize = 32;
constexpr std::size_t kNonceSize = 12;
constexpr std::size_t kTagSize = 16;

// HKDF-SHA256(key, salt, info) -> 32 bytes.
Result<Secret> hkdf(const Secret& key, std::string_view salt, std::string_view info);

// Incremental HMAC-SHA256.
class Hmac {
 public:
  static Result<Hmac> start(const Secret& key);
  Result<void> update(std::string_view data);
  Result<std::string> finish();  // 32 bytes

 private:
  struct Free {
    void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
  };
  std::unique_ptr<EVP_MAC_CTX, Free> ctx_;
};

// AES-256-GCM with an explicit nonce; returns ciphertext || tag.
Result<std::string> gcm_seal(const Secret& key, std::string_view nonce, std::string_view aad,
                             std::string_view plaintext);
// Opens ciphertext || tag; "authentication failed" when anything was changed.
Result<std::string> gcm_open(const Secret& key, std::string_view nonce, std::string_view aad,
                             std::string_view sealed);

// n bytes from the system's CSPRNG.
Result<std::string> random_bytes(std::size_t n);

std::string hex(std::string_view bytes);

}  // namespace appliance::store::crypto
