// NAME
//   signer.cpp - OpenSSL keys for the three schemes: generation, PEM files,
//   public key objects and signing.
#include "tuf/signer.h"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "tuf/canonical_json.h"
#include "tuf/digest.h"
#include "tuf/keys.h"

namespace appliance::tuf {

struct PrivateKeySigner::Pkey {
  EVP_PKEY* p = nullptr;
  ~Pkey() { EVP_PKEY_free(p); }
};

namespace {

EVP_PKEY* generate_key(KeyKind kind) {
  switch (kind) {
    case KeyKind::ed25519:
      return EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    case KeyKind::ecdsa_p256:
      return EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    case KeyKind::rsa_pss_sha256:
      return EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(2048));
  }
  return nullptr;
}

// ed25519 or ECDSA on P-256; anything else is refused.
Result<KeyKind> kind_of(EVP_PKEY* key) {
  if (EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519) return KeyKind::ed25519;
  char group[64] = {0};
  std::size_t len = 0;
  if (EVP_PKEY_get_base_id(key) == EVP_PKEY_EC &&
      EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &len) == 1 &&
      std::string_view(group) == "prime256v1") {
    return KeyKind::ecdsa_p256;
  }
  return Error{"unsupported key: expected ed25519 or ECDSA P-256"};
}

std::string bio_string(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(len));
}

Result<std::string> public_value(EVP_PKEY* key, KeyKind kind) {
  if (kind == KeyKind::ed25519) {
    unsigned char raw[32];
    std::size_t len = sizeof raw;
    if (EVP_PKEY_get_raw_public_key(key, raw, &len) != 1) return Error{"cannot export ed25519"};
    return to_hex(std::string_view(reinterpret_cast<const char*>(raw), len));
  }
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr || PEM_write_bio_PUBKEY(bio, key) != 1) {
    BIO_free(bio);
    return Error{"cannot export public key"};
  }
  std::string pem = bio_string(bio);
  BIO_free(bio);
  return pem;
}

nlohmann::json key_object(KeyKind kind, const std::string& pub) {
  switch (kind) {
    case KeyKind::ed25519:
      return {{"keytype", "ed25519"}, {"scheme", "ed25519"}, {"keyval", {{"public", pub}}}};
    case KeyKind::ecdsa_p256:
      return {
          {"keytype", "ecdsa"}, {"scheme", "ecdsa-sha2-nistp256"}, {"keyval", {{"public", pub}}}};
    case KeyKind::rsa_pss_sha256:
      return {{"keytype", "rsa"}, {"scheme", "rsassa-pss-sha256"}, {"keyval", {{"public", pub}}}};
  }
  return {};
}

Result<nlohmann::json> key_object_of(EVP_PKEY* key, KeyKind kind) {
  auto pub = public_value(key, kind);
  if (!pub) return pub.error();
  return key_object(kind, *pub);
}

}  // namespace

PrivateKeySigner::PrivateKeySigner(std::unique_ptr<Pkey> key, KeyKind kind,
                                   nlohmann::json public_key, std::string keyid)
    : key_(std::move(key)),
      kind_(kind),
      public_key_(std::move(public_key)),
      keyid_(std::move(keyid)) {}

PrivateKeySigner::~PrivateKeySigner() = default;

Result<std::unique_ptr<PrivateKeySigner>> PrivateKeySigner::wrap(std::unique_ptr<Pkey> key,
                                                                 KeyKind kind) {
  auto obj = key_object_of(key->p, kind);
  if (!obj) return obj.error();
  auto keyid = compute_keyid(*obj);
  if (!keyid) return keyid.error();
  return std::unique_ptr<PrivateKeySigner>(
      new PrivateKeySigner(std::move(key), kind, std::move(*obj), std::move(*keyid)));
}

Result<std::unique_ptr<PrivateKeySigner>> PrivateKeySigner::generate(KeyKind kind) {
  auto key = std::make_unique<Pkey>();
  key->p = generate_key(kind);
  if (key->p == nullptr) return Error{"key generation failed"};
  return wrap(std::move(key), kind);
}

Result<std::unique_ptr<PrivateKeySigner>> PrivateKeySigner::from_pem(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  auto key = std::make_unique<Pkey>();
  key->p = bio ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  if (key->p == nullptr) return Error{"not a PEM private key (or it is encrypted)"};
  auto kind = kind_of(key->p);
  if (!kind) return kind.error();
  return wrap(std::move(key), *kind);
}

Result<std::string> PrivateKeySigner::private_pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  bool ok = bio && PEM_write_bio_PKCS8PrivateKey(bio, key_->p, nullptr, nullptr, 0, nullptr,
                                                 nullptr) == 1;
  std::string pem = ok ? bio_string(bio) : "";
  BIO_free(bio);
  if (!ok) return Error{"cannot export private key"};
  return pem;
}

Result<std::string> PrivateKeySigner::sign(std::string_view message) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  const EVP_MD* md = kind_ == KeyKind::ed25519 ? nullptr : EVP_sha256();
  bool ok = ctx && EVP_DigestSignInit(ctx, &pctx, md, nullptr, key_->p) == 1;
  if (ok && kind_ == KeyKind::rsa_pss_sha256) {
    ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
  }
  const auto* msg = reinterpret_cast<const unsigned char*>(message.data());
  std::size_t len = 0;
  ok = ok && EVP_DigestSign(ctx, nullptr, &len, msg, message.size()) == 1;
  std::string sig(len, '\0');
  ok = ok && EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, msg,
                            message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return Error{"signing failed"};
  sig.resize(len);
  return to_hex(sig);
}

Result<nlohmann::json> key_object_from_spki(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size()));
  if (key == nullptr) return Error{"public key does not parse"};
  auto kind = kind_of(key);
  Result<nlohmann::json> obj = kind ? key_object_of(key, *kind) : Result<nlohmann::json>(kind.error());
  EVP_PKEY_free(key);
  return obj;
}

Result<std::string> sign_metadata(const nlohmann::json& body,
                                  const std::vector<const Signer*>& signers) {
  auto canonical = canonical_json(body);
  if (!canonical) return canonical.error();
  nlohmann::json signatures = nlohmann::json::array();
  for (const Signer* s : signers) {
    auto sig = s->sign(*canonical);
    if (!sig) return sig.error();
    signatures.push_back({{"keyid", s->keyid()}, {"sig", *sig}});
  }
  nlohmann::json doc = {{"signatures", signatures}, {"signed", body}};
  return doc.dump(1);
}

}  // namespace appliance::tuf
