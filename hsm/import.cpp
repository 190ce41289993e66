// NAME
//   import.cpp - parse PEM, PKCS#8, PKCS#12; create the key objects.
//
// DESCRIPTION
//   Private components pass through local strings only long enough to be
//   copied into the Template (which wipes its own copy) and are cleansed at
//   once. If the public object cannot be created, the private one is
//   destroyed again, so an import either completes or leaves nothing.
#include "import.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

#include <cstring>

#include "key_template.h"

namespace appliance::hsm {

namespace {

using Pkcs8Ptr = std::unique_ptr<PKCS8_PRIV_KEY_INFO, OsslDeleter<PKCS8_PRIV_KEY_INFO_free>>;
using X509SigPtr = std::unique_ptr<X509_SIG, OsslDeleter<X509_SIG_free>>;

// ---- reading private components ----------------------------------------

// Adds a big-number parameter of `key` to `t`, left-padded to `pad` bytes.
Result<void> add_bn(Template& t, CK_ATTRIBUTE_TYPE type, EVP_PKEY* key, const char* param,
                    int pad = 0) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, param, &raw) != 1) return openssl_error(param);
  BignumPtr bn(raw);
  const int size = pad > 0 ? pad : BN_num_bytes(bn.get());
  std::string bytes(static_cast<std::size_t>(size), '\0');
  const bool ok = BN_bn2binpad(bn.get(), out_bytes(bytes), size) == size;
  if (ok) t.bytes(type, bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  if (!ok) return Error{std::string(param) + " is too large"};
  return {};
}

Result<std::string> octets(EVP_PKEY* key, const char* param) {
  std::size_t size = 0;
  if (EVP_PKEY_get_octet_string_param(key, param, nullptr, 0, &size) != 1)
    return openssl_error(param);
  std::string out(size, '\0');
  if (EVP_PKEY_get_octet_string_param(key, param, out_bytes(out), size, &size) != 1)
    return openssl_error(param);
  out.resize(size);
  return out;
}

// DER OCTET STRING around a point, as CKA_EC_POINT wants it (short forms only).
std::string der_octet_string(const std::string& point) {
  std::string out(1, '\x04');
  if (point.size() >= 128) out += '\x81';
  out += static_cast<char>(point.size());
  return out + point;
}

Result<Algorithm> algorithm_of(EVP_PKEY* key) {
  const int id = EVP_PKEY_get_base_id(key);
  if (id == EVP_PKEY_ED25519) return Algorithm::ed25519;
  if (id == EVP_PKEY_RSA) {
    const int bits = EVP_PKEY_get_bits(key);
    if (bits == 2048) return Algorithm::rsa_2048;
    if (bits == 3072) return Algorithm::rsa_3072;
    return Error{"unsupported key type: RSA-" + std::to_string(bits)};
  }
  if (id == EVP_PKEY_EC) {
    char group[80] = {};
    EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, nullptr);
    ERR_clear_error();
    if (std::strcmp(group, "prime256v1") == 0) return Algorithm::ec_p256;
    return Error{"unsupported key type: EC on curve " + std::string(*group ? group : "?")};
  }
  const char* type = EVP_PKEY_get0_type_name(key);
  return Error{"unsupported key type: " + std::string(type ? type : "unknown")};
}

// ---- templates ---------------------------------------------------------

Result<void> fill_ec(Template& priv, Template& pub, EVP_PKEY* key) {
  priv.ulong(CKA_KEY_TYPE, CKK_EC).bytes(CKA_EC_PARAMS, kOidP256);
  if (auto ok = add_bn(priv, CKA_VALUE, key, OSSL_PKEY_PARAM_PRIV_KEY, 32); !ok) return ok;
  auto point = octets(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY);
  if (!point) return point.error();
  pub.ulong(CKA_KEY_TYPE, CKK_EC).bytes(CKA_EC_PARAMS, kOidP256);
  pub.bytes(CKA_EC_POINT, der_octet_string(*point));
  return {};
}

Result<void> fill_ed25519(Template& priv, Template& pub, EVP_PKEY* key) {
  std::string secret(32, '\0'), point(32, '\0');
  std::size_t secret_size = 32, point_size = 32;
  const bool ok = EVP_PKEY_get_raw_private_key(key, out_bytes(secret), &secret_size) == 1 &&
                  EVP_PKEY_get_raw_public_key(key, out_bytes(point), &point_size) == 1 &&
                  secret_size == 32 && point_size == 32;
  if (ok)
    priv.ulong(CKA_KEY_TYPE, CKK_EC_EDWARDS)
        .bytes(CKA_EC_PARAMS, kOidEd25519)
        .bytes(CKA_VALUE, secret);
  OPENSSL_cleanse(secret.data(), secret.size());
  if (!ok) return openssl_error("Ed25519 key");
  pub.ulong(CKA_KEY_TYPE, CKK_EC_EDWARDS).bytes(CKA_EC_PARAMS, kOidEd25519);
  pub.bytes(CKA_EC_POINT, der_octet_string(point));
  return {};
}

Result<void> fill_rsa(Template& priv, Template& pub, EVP_PKEY* key) {
  const std::pair<CK_ATTRIBUTE_TYPE, const char*> parts[] = {
      {CKA_MODULUS, OSSL_PKEY_PARAM_RSA_N},
      {CKA_PUBLIC_EXPONENT, OSSL_PKEY_PARAM_RSA_E},
      {CKA_PRIVATE_EXPONENT, OSSL_PKEY_PARAM_RSA_D},
      {CKA_PRIME_1, OSSL_PKEY_PARAM_RSA_FACTOR1},
      {CKA_PRIME_2, OSSL_PKEY_PARAM_RSA_FACTOR2},
      {CKA_EXPONENT_1, OSSL_PKEY_PARAM_RSA_EXPONENT1},
      {CKA_EXPONENT_2, OSSL_PKEY_PARAM_RSA_EXPONENT2},
      {CKA_COEFFICIENT, OSSL_PKEY_PARAM_RSA_COEFFICIENT1},
  };
  priv.ulong(CKA_KEY_TYPE, CKK_RSA);
  for (const auto& [type, param] : parts)
    if (auto ok = add_bn(priv, type, key, param); !ok) return ok;
  pub.ulong(CKA_KEY_TYPE, CKK_RSA);
  if (auto ok = add_bn(pub, CKA_MODULUS, key, OSSL_PKEY_PARAM_RSA_N); !ok) return ok;
  return add_bn(pub, CKA_PUBLIC_EXPONENT, key, OSSL_PKEY_PARAM_RSA_E);
}

Result<CK_OBJECT_HANDLE> create(Session& session, Template& t) {
  CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
  const CK_RV rv = session.fn()->C_CreateObject(session.handle(), t.data(), t.size(), &handle);
  if (rv != CKR_OK) return p11_error("C_CreateObject", rv);
  return handle;
}

// ---- parsing -----------------------------------------------------------

int password_callback(char* buffer, int size, int, void* user) {
  const auto* password = static_cast<const Secret*>(user);
  if (!password || password->empty() || password->size() > static_cast<std::size_t>(size))
    return -1;
  std::memcpy(buffer, password->reveal().data(), password->size());
  return static_cast<int>(password->size());
}

bool looks_encrypted(std::string_view pem) {
  return pem.find("ENCRYPTED PRIVATE KEY") != std::string_view::npos ||
         pem.find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos;
}

Result<EvpPkeyPtr> parse_pem(std::string_view pem, const Secret& password) {
  if (pem.find("PRIVATE KEY-----") == std::string_view::npos)
    return Error{"bad PEM: no private key found"};
  BioPtr bio = memory_bio(pem);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, password_callback,
                                          const_cast<Secret*>(&password));
  if (key) return EvpPkeyPtr(key);
  if (looks_encrypted(pem)) {
    ERR_clear_error();
    return Error{password.empty() ? "bad PEM: the key is encrypted and no password was given"
                                  : "bad PEM: wrong password or damaged key"};
  }
  return openssl_error("bad PEM");
}

Result<EvpPkeyPtr> parse_pkcs8(std::string_view der, const Secret& password) {
  const auto* begin = reinterpret_cast<const unsigned char*>(der.data());
  const auto* end = begin + der.size();
  const unsigned char* p = begin;
  Pkcs8Ptr info(d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(der.size())));
  if (!info || p != end) {
    info.reset();
    p = begin;
    X509SigPtr encrypted(d2i_X509_SIG(nullptr, &p, static_cast<long>(der.size())));
    if (!encrypted || p != end) return openssl_error("bad PKCS#8: not a private key");
    if (password.empty()) return Error{"PKCS#8: the key is encrypted and no password was given"};
    info.reset(PKCS8_decrypt(encrypted.get(), password.reveal().data(),
                             static_cast<int>(password.size())));
    if (!info) {
      ERR_clear_error();
      return Error{"PKCS#8: wrong password or damaged key"};
    }
  }
  EVP_PKEY* key = EVP_PKCS82PKEY(info.get());
  if (!key) return openssl_error("unsupported key type in PKCS#8");
  return EvpPkeyPtr(key);
}

Result<void> check_pkcs12_password(PKCS12* p12, const Secret& password) {
  if (!PKCS12_mac_present(p12)) return {};
  const bool ok =
      password.empty()
          ? (PKCS12_verify_mac(p12, "", 0) == 1 || PKCS12_verify_mac(p12, nullptr, 0) == 1)
          : PKCS12_verify_mac(p12, password.reveal().data(), static_cast<int>(password.size())) ==
                1;
  ERR_clear_error();
  if (!ok) return Error{"PKCS#12: wrong password"};
  return {};
}

}  // namespace

Result<Key> import_private_key(Session& session, std::string_view name, EVP_PKEY* key) {
  auto parsed = parse_key_name(name);
  if (!parsed) return parsed.error();
  const std::string context = "import " + parsed->text;
  auto algorithm = algorithm_of(key);
  if (!algorithm) return algorithm.error();
  if (auto ok = check_algorithm_for_purpose(parsed->purpose, *algorithm); !ok)
    return with_context(context, ok.error());
  if (find_key(session, name)) return Error{context + ": a key with this name exists"};
  auto id = new_key_id();
  if (!id) return id.error();
  const CK_DATE date = today_utc();

  Template priv, pub;
  add_identity(priv, name, *id, date);
  add_protection(priv);
  priv.ulong(CKA_CLASS, CKO_PRIVATE_KEY).flag(CKA_SIGN, true);
  add_identity(pub, name, *id, date);
  pub.ulong(CKA_CLASS, CKO_PUBLIC_KEY).flag(CKA_PRIVATE, false).flag(CKA_VERIFY, true);
  auto filled = *algorithm == Algorithm::ec_p256   ? fill_ec(priv, pub, key)
                : *algorithm == Algorithm::ed25519 ? fill_ed25519(priv, pub, key)
                                                   : fill_rsa(priv, pub, key);
  if (!filled) return with_context(context, filled.error());

  auto priv_handle = create(session, priv);
  if (!priv_handle) return with_context(context, priv_handle.error());
  auto pub_handle = create(session, pub);
  if (!pub_handle) {
    session.fn()->C_DestroyObject(session.handle(), *priv_handle);
    return with_context(context, pub_handle.error());
  }
  return describe_key(session, *priv_handle);
}

Result<Key> import_pem(Session& session, std::string_view name, std::string_view pem,
                       const Secret& password) {
  auto key = parse_pem(pem, password);
  if (!key) return key.error();
  return import_private_key(session, name, key->get());
}

Result<Key> import_pkcs8(Session& session, std::string_view name, std::string_view der,
                         const Secret& password) {
  auto key = parse_pkcs8(der, password);
  if (!key) return key.error();
  return import_private_key(session, name, key->get());
}

Result<Pkcs12Import> import_pkcs12(Session& session, std::string_view name, std::string_view der,
                                   const Secret& password) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  Pkcs12Ptr p12(d2i_PKCS12(nullptr, &p, static_cast<long>(der.size())));
  if (!p12) return openssl_error("PKCS#12: not a PKCS#12 file");
  if (auto ok = check_pkcs12_password(p12.get(), password); !ok) return ok.error();

  EVP_PKEY* raw_key = nullptr;
  X509* raw_cert = nullptr;
  STACK_OF(X509)* raw_chain = nullptr;
  // Secret keeps a std::string, so reveal().data() is NUL-terminated; no copy to wipe.
  const int parsed =
      PKCS12_parse(p12.get(), password.reveal().data(), &raw_key, &raw_cert, &raw_chain);
  EvpPkeyPtr key(raw_key);
  Pkcs12Import result;
  if (raw_cert) result.certificates.emplace_back(raw_cert);
  for (int i = 0; raw_chain && i < sk_X509_num(raw_chain); ++i)
    result.certificates.emplace_back(sk_X509_value(raw_chain, i));
  sk_X509_free(raw_chain);  // the certificates themselves are owned by result now
  if (parsed != 1) return openssl_error("PKCS#12");
  if (!key) return Error{"PKCS#12: no private key in the file"};

  auto stored = import_private_key(session, name, key.get());
  if (!stored) return stored.error();
  result.key = std::move(*stored);
  return result;
}

}  // namespace appliance::hsm
