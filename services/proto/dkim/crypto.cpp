// NAME
//   crypto.cpp - SHA-256, the input keyd signs, and signature checks with OpenSSL.
#include "proto/dkim/crypto.h"

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "hsm/der.h"

namespace appliance::dkim {

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
struct CtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct MdFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

Result<Pkey> rsa_key(std::string_view der) {
  const unsigned char* p = bytes(der);
  Pkey key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (!key) {
    p = bytes(der);
    key.reset(d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, static_cast<long>(der.size())));
  }
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA)
    return make_error("the key record's p= is not an RSA public key");
  if (EVP_PKEY_get_bits(key.get()) < 1024)
    return make_error("the RSA key is shorter than 1024 bits (RFC 8301)");
  return key;
}

Result<void> verify_rsa(const KeyRecord& key, std::string_view input, std::string_view sig) {
  auto pkey = rsa_key(key.public_key);
  if (!pkey) return pkey.error();
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new(pkey->get(), nullptr));
  std::string digest = sha256(input);
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) <= 0 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) <= 0)
    return make_error("RSA verification could not start");
  if (EVP_PKEY_verify(ctx.get(), bytes(sig), sig.size(), bytes(digest), digest.size()) != 1)
    return make_error("the signature does not verify");
  return {};
}

Result<void> verify_ed25519(const KeyRecord& key, std::string_view input, std::string_view sig) {
  Pkey pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes(key.public_key),
                                        key.public_key.size()));
  if (!pkey) return make_error("the key record's p= is not an Ed25519 public key");
  std::unique_ptr<EVP_MD_CTX, MdFree> md(EVP_MD_CTX_new());
  std::string digest = sha256(input);
  if (!md || EVP_DigestVerifyInit(md.get(), nullptr, nullptr, nullptr, pkey.get()) <= 0)
    return make_error("Ed25519 verification could not start");
  if (EVP_DigestVerify(md.get(), bytes(sig), sig.size(), bytes(digest), digest.size()) != 1)
    return make_error("the signature does not verify");
  return {};
}

}  // namespace

struct Sha256::Impl {
  std::unique_ptr<EVP_MD_CTX, MdFree> ctx{EVP_MD_CTX_new()};
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
  EVP_DigestInit_ex(impl_->ctx.get(), EVP_sha256(), nullptr);
}
Sha256::~Sha256() = default;

void Sha256::update(std::string_view data) {
  EVP_DigestUpdate(impl_->ctx.get(), data.data(), data.size());
}

std::string Sha256::finish() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(impl_->ctx.get(), out, &n);
  return std::string(reinterpret_cast<const char*>(out), n);
}

std::string sha256(std::string_view data) {
  Sha256 h;
  h.update(data);
  return h.finish();
}

std::string signing_input(Algorithm a, std::string_view header_hash_input) {
  std::string digest = sha256(header_hash_input);
  if (a == Algorithm::ed25519_sha256) return digest;
  return hsm::digest_info(hsm::Hash::sha256, digest).value();  // a SHA-256 is always 32 octets
}

Result<void> verify(Algorithm a, const KeyRecord& key, std::string_view header_hash_input,
                    std::string_view signature) {
  if (key.revoked) return make_error("the key was revoked (empty p=)");
  bool ed = a == Algorithm::ed25519_sha256;
  if (ed != (key.type == KeyType::ed25519))
    return make_error("the key record's type does not match the signature's algorithm");
  return ed ? verify_ed25519(key, header_hash_input, signature)
            : verify_rsa(key, header_hash_input, signature);
}

Result<RecordKey> public_key_for_record(std::string_view spki_der) {
  const unsigned char* p = bytes(spki_der);
  Pkey key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki_der.size())));
  if (!key) return make_error("not a SubjectPublicKeyInfo");
  int id = EVP_PKEY_get_base_id(key.get());
  if (id == EVP_PKEY_RSA) return RecordKey{KeyType::rsa, std::string(spki_der)};
  if (id != EVP_PKEY_ED25519) return make_error("not an RSA or Ed25519 key");
  std::string raw(32, '\0');
  std::size_t n = raw.size();
  if (EVP_PKEY_get_raw_public_key(key.get(), reinterpret_cast<unsigned char*>(raw.data()), &n) != 1 ||
      n != 32)
    return make_error("the Ed25519 key could not be read");
  return RecordKey{KeyType::ed25519, raw};
}

}  // namespace appliance::dkim
