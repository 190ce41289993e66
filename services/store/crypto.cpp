// NAME
//   crypto.cpp - HKDF, HMAC and AES-256-GCM over OpenSSL 3 EVP.
//
// DESCRIPTION
//   See crypto.h. Contexts are owned by unique_ptr so that every early return
//   frees them; intermediate plaintext is cleansed by the callers' Secret.
//
//   The algorithms are fetched once per process: OpenSSL 3 otherwise looks
//   each one up by name, under a lock, at every use (and HMAC and HKDF their
//   digest too), which cost more than the cipher itself for the small blobs
//   and values a FETCH of a thousand headers opens. HMAC starts from a
//   template context with the digest already set, duplicated per use, and
//   HKDF is two HMACs over it.
#include "store/crypto.h"

#include <openssl/core_names.h>
#include <openssl/rand.h>

#include <fmt/format.h>

#include <utility>

namespace appliance::store::crypto {
namespace {

struct CipherFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherFree>;

const unsigned char* u8(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

Error ossl(std::string_view what) {
  return make_error(fmt::format("openssl: {} failed", what));
}

// Fetched objects and configured templates are immutable once made and may be
// shared between threads; a function-local static is made exactly once.
const EVP_CIPHER* aes_256_gcm() {
  static EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  return cipher;
}

const EVP_MAC_CTX* hmac_sha256_template() {
  static EVP_MAC_CTX* ctx = [] {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* c = mac ? EVP_MAC_CTX_new(mac) : nullptr;
    EVP_MAC_free(mac);
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    if (c && EVP_MAC_CTX_set_params(c, params) != 1) EVP_MAC_CTX_free(std::exchange(c, nullptr));
    return c;
  }();
  return ctx;
}

Result<CipherCtx> gcm_context(const Secret& key, std::string_view nonce, bool encrypt) {
  if (key.size() != kKeySize || nonce.size() != kNonceSize)
    return make_error("aes-256-gcm: bad key or nonce length");
  if (!aes_256_gcm()) return ossl("EVP_CIPHER_fetch(AES-256-GCM)");
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return ossl("EVP_CIPHER_CTX_new");
  if (EVP_CipherInit_ex2(ctx.get(), aes_256_gcm(), u8(key.reveal()), u8(nonce), encrypt ? 1 : 0,
                         nullptr) != 1)
    return ossl("EVP_CipherInit_ex2");
  return ctx;
}

Result<void> add_aad(EVP_CIPHER_CTX* ctx, std::string_view aad) {
  int len = 0;
  if (!aad.empty() &&
      EVP_CipherUpdate(ctx, nullptr, &len, u8(aad), static_cast<int>(aad.size())) != 1)
    return ossl("GCM AAD");
  return {};
}

}  // namespace

// RFC 5869 with SHA-256 and one block of output: extract, then expand.
Result<Secret> hkdf(const Secret& key, std::string_view salt, std::string_view info) {
  auto extract = Hmac::start(Secret(salt.empty() ? std::string(32, '\0') : std::string(salt)));
  if (!extract) return extract.error();
  if (auto u = extract->update(key.reveal()); !u) return u.error();
  auto prk = extract->finish();
  if (!prk) return prk.error();
  auto expand = Hmac::start(Secret(std::move(*prk)));
  if (!expand) return expand.error();
  if (auto u = expand->update(info); !u) return u.error();
  if (auto u = expand->update(std::string_view("\x01", 1)); !u) return u.error();
  auto okm = expand->finish();
  if (!okm) return okm.error();
  return Secret(std::move(*okm));
}

Result<Hmac> Hmac::start(const Secret& key) {
  if (!hmac_sha256_template()) return ossl("EVP_MAC_fetch(HMAC)");
  Hmac h;
  h.ctx_.reset(EVP_MAC_CTX_dup(hmac_sha256_template()));
  if (!h.ctx_) return ossl("EVP_MAC_CTX_dup");
  if (EVP_MAC_init(h.ctx_.get(), u8(key.reveal()), key.size(), nullptr) != 1)
    return ossl("EVP_MAC_init");
  return h;
}

Result<void> Hmac::update(std::string_view data) {
  if (EVP_MAC_update(ctx_.get(), u8(data), data.size()) != 1) return ossl("EVP_MAC_update");
  return {};
}

Result<std::string> Hmac::finish() {
  std::string out(32, '\0');
  std::size_t len = 0;
  if (EVP_MAC_final(ctx_.get(), reinterpret_cast<unsigned char*>(out.data()), &len, out.size()) !=
      1)
    return ossl("EVP_MAC_final");
  out.resize(len);
  return out;
}

Result<std::string> gcm_seal(const Secret& key, std::string_view nonce, std::string_view aad,
                             std::string_view plaintext) {
  auto ctx = gcm_context(key, nonce, true);
  if (!ctx) return ctx.error();
  if (auto a = add_aad(ctx->get(), aad); !a) return a.error();
  std::string out(plaintext.size() + kTagSize, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  int len = 0, fin = 0;
  if (EVP_CipherUpdate(ctx->get(), o, &len, u8(plaintext), static_cast<int>(plaintext.size())) !=
          1 ||
      EVP_CipherFinal_ex(ctx->get(), o + len, &fin) != 1)
    return ossl("GCM encrypt");
  if (EVP_CIPHER_CTX_ctrl(ctx->get(), EVP_CTRL_GCM_GET_TAG, kTagSize, o + plaintext.size()) != 1)
    return ossl("GCM tag");
  return out;
}

Result<std::string> gcm_open(const Secret& key, std::string_view nonce, std::string_view aad,
                             std::string_view sealed) {
  if (sealed.size() < kTagSize) return make_error("sealed data shorter than its tag");
  auto ctx = gcm_context(key, nonce, false);
  if (!ctx) return ctx.error();
  if (auto a = add_aad(ctx->get(), aad); !a) return a.error();
  std::size_t n = sealed.size() - kTagSize;
  std::string out(n, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  int len = 0, fin = 0;
  std::string tag(sealed.substr(n));
  if (EVP_CipherUpdate(ctx->get(), o, &len, u8(sealed), static_cast<int>(n)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx->get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data()) != 1)
    return ossl("GCM decrypt");
  if (EVP_CipherFinal_ex(ctx->get(), o + len, &fin) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    return make_error("authentication failed");
  }
  return out;
}

Result<std::string> random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (n && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
    return ossl("RAND_bytes");
  return out;
}

std::string hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) out += {digits[c >> 4], digits[c & 15]};
  return out;
}

}  // namespace appliance::store::crypto
