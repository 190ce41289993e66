// NAME
//   keys.cpp - key parsing and the three signature schemes, over OpenSSL 3.
//
// SECURITY
//   Everything here reads attacker-supplied bytes: PEM is parsed only into a
//   public key, key size and curve are checked before use, and every OpenSSL
//   failure means "signature not valid".
#include "tuf/keys.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>

#include "tuf/canonical_json.h"
#include "tuf/digest.h"

namespace appliance::tuf {
namespace {

constexpr std::size_t kMaxPemSize = 16 * 1024;
constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 8192;  // bounds the cost of one verification

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

enum class Scheme { ed25519, ecdsa_p256, rsa_pss_sha256, unknown };

Scheme scheme_of(const Key& key) {
  if (key.keytype == "ed25519" && key.scheme == "ed25519") return Scheme::ed25519;
  if ((key.keytype == "ecdsa" || key.keytype == "ecdsa-sha2-nistp256") &&
      key.scheme == "ecdsa-sha2-nistp256") {
    return Scheme::ecdsa_p256;
  }
  if (key.keytype == "rsa" && key.scheme == "rsassa-pss-sha256") return Scheme::rsa_pss_sha256;
  return Scheme::unknown;
}

PkeyPtr load_ed25519(const std::string& hex) {
  auto raw = from_hex(hex);
  if (!raw || raw->size() != 32) return nullptr;
  return PkeyPtr(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw->data()), raw->size()));
}

PkeyPtr load_pem(const std::string& pem) {
  if (pem.size() > kMaxPemSize) return nullptr;
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return nullptr;
  PkeyPtr key(PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  return key;
}

bool is_p256(EVP_PKEY* key) {
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) return false;
  char group[64] = {};
  std::size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len) !=
      1) {
    return false;
  }
  return std::string_view(group, len) == "prime256v1";
}

bool is_strong_rsa(EVP_PKEY* key) {
  const int bits = EVP_PKEY_get_bits(key);
  return EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA && bits >= kMinRsaBits && bits <= kMaxRsaBits;
}

PkeyPtr load_public_key(const Key& key, Scheme scheme) {
  switch (scheme) {
    case Scheme::ed25519:
      return load_ed25519(key.public_value);
    case Scheme::ecdsa_p256: {
      PkeyPtr k = load_pem(key.public_value);
      return k && is_p256(k.get()) ? std::move(k) : nullptr;
    }
    case Scheme::rsa_pss_sha256: {
      PkeyPtr k = load_pem(key.public_value);
      return k && is_strong_rsa(k.get()) ? std::move(k) : nullptr;
    }
    case Scheme::unknown:
      break;
  }
  return nullptr;
}

bool digest_verify(EVP_PKEY* pkey, Scheme scheme, std::string_view message,
                   const std::string& sig) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return false;
  EVP_PKEY_CTX* pctx = nullptr;
  const EVP_MD* md = scheme == Scheme::ed25519 ? nullptr : EVP_sha256();
  if (EVP_DigestVerifyInit(ctx.get(), &pctx, md, nullptr, pkey) != 1) return false;
  if (scheme == Scheme::rsa_pss_sha256) {
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1) {
      return false;
    }
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

const std::string* string_field(const nlohmann::json& obj, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_string()) return nullptr;
  return &it->get_ref<const std::string&>();
}

}  // namespace

Result<std::string> compute_keyid(const nlohmann::json& key_object) {
  auto canonical = canonical_json(key_object);
  if (!canonical) return canonical.error();
  return sha256_hex(*canonical);
}

Result<Key> parse_key(const nlohmann::json& obj) {
  if (!obj.is_object()) return Error{"key is not an object"};
  const std::string* keytype = string_field(obj, "keytype");
  const std::string* scheme = string_field(obj, "scheme");
  auto keyval = obj.find("keyval");
  if (!keytype || !scheme || keyval == obj.end() || !keyval->is_object()) {
    return Error{"key needs string keytype, string scheme and object keyval"};
  }
  const std::string* pub = string_field(*keyval, "public");
  if (!pub) return Error{"key needs a string keyval.public"};
  if (keyval->contains("private")) return Error{"key object carries a private key"};
  return Key{*keytype, *scheme, *pub, obj};
}

Result<std::map<std::string, Key>> parse_key_map(const nlohmann::json& keys) {
  if (!keys.is_object()) return Error{"keys is not an object"};
  std::map<std::string, Key> out;
  for (const auto& [keyid, obj] : keys.items()) {
    auto key = parse_key(obj);
    if (!key) return Error{"key " + keyid + ": " + key.message()};
    auto actual = compute_keyid(obj);
    if (!actual) return Error{"key " + keyid + ": " + actual.message()};
    if (*actual != keyid) {
      return Error{"key id " + keyid + " does not match its key (sha256 of the key is " + *actual +
                   ")"};
    }
    out.emplace(keyid, std::move(*key));
  }
  return out;
}

bool verify_signature(const Key& key, std::string_view message, std::string_view signature_hex) {
  Scheme scheme = scheme_of(key);
  if (scheme == Scheme::unknown) return false;
  auto sig = from_hex(signature_hex);
  if (!sig || sig->empty()) return false;
  PkeyPtr pkey = load_public_key(key, scheme);
  if (!pkey) {
    ERR_clear_error();
    return false;
  }
  bool ok = digest_verify(pkey.get(), scheme, message, *sig);
  ERR_clear_error();  // a failed verification leaves reasons we do not report
  return ok;
}

}  // namespace appliance::tuf
