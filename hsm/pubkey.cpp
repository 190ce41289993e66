// NAME
//   pubkey.cpp - EVP_PKEY from PKCS#11 public key attributes.
//
// DESCRIPTION
//   Keys are built through EVP_PKEY_fromdata (OpenSSL 3 providers), not the
//   deprecated EC_KEY / RSA setters.
#include "pubkey.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include "attributes.h"

namespace appliance::hsm {

namespace {

// CKA_EC_POINT is a DER OCTET STRING per the standard; some modules give the
// bare point. Accept both.
std::string unwrap_point(std::string_view point) {
  const auto* p = reinterpret_cast<const unsigned char*>(point.data());
  ASN1_OCTET_STRING* inner = d2i_ASN1_OCTET_STRING(nullptr, &p, static_cast<long>(point.size()));
  std::string out(point);
  if (inner && p == reinterpret_cast<const unsigned char*>(point.data() + point.size()))
    out.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(inner)),
               static_cast<std::size_t>(ASN1_STRING_length(inner)));
  ASN1_OCTET_STRING_free(inner);
  ERR_clear_error();
  return out;
}

Result<std::string> curve_name(std::string_view ec_params) {
  const auto* p = reinterpret_cast<const unsigned char*>(ec_params.data());
  ASN1_OBJECT* oid = d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>(ec_params.size()));
  const int nid = oid ? OBJ_obj2nid(oid) : NID_undef;
  ASN1_OBJECT_free(oid);
  const char* name = nid != NID_undef ? OBJ_nid2sn(nid) : nullptr;
  if (!name) return openssl_error("CKA_EC_PARAMS: not a known named curve");
  return std::string(name);
}

Result<EvpPkeyPtr> from_params(const char* type, OSSL_PARAM_BLD* builder) {
  ParamPtr params(OSSL_PARAM_BLD_to_param(builder));
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
    return openssl_error(std::string(type) + " public key");
  return EvpPkeyPtr(key);
}

Result<EvpPkeyPtr> read_public_key(Session& session, CK_OBJECT_HANDLE object) {
  auto type = get_ulong(session, object, CKA_KEY_TYPE);
  if (!type) return type.error();
  if (*type == CKK_RSA) {
    auto n = get_bytes(session, object, CKA_MODULUS);
    if (!n) return n.error();
    auto e = get_bytes(session, object, CKA_PUBLIC_EXPONENT);
    if (!e) return e.error();
    return rsa_public_key(*n, *e);
  }
  if (*type != CKK_EC && *type != CKK_EC_EDWARDS) return Error{"unsupported key type"};
  auto point = get_bytes(session, object, CKA_EC_POINT);
  if (!point) return point.error();
  if (*type == CKK_EC_EDWARDS) return ed25519_public_key(*point);
  auto params = get_bytes(session, object, CKA_EC_PARAMS);
  if (!params) return params.error();
  return ec_public_key(*params, *point);
}

}  // namespace

Result<EvpPkeyPtr> ec_public_key(std::string_view ec_params, std::string_view ec_point) {
  auto curve = curve_name(ec_params);
  if (!curve) return curve.error();
  const std::string point = unwrap_point(ec_point);
  ParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      !OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve->c_str(),
                                       0) ||
      !OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                        point.size()))
    return openssl_error("EC public key");
  return from_params("EC", builder.get());
}

Result<EvpPkeyPtr> rsa_public_key(std::string_view modulus, std::string_view exponent) {
  const auto bn = [](std::string_view b) {
    return BignumPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(b.data()),
                               static_cast<int>(b.size()), nullptr));
  };
  BignumPtr n = bn(modulus), e = bn(exponent);
  ParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (!n || !e || !builder ||
      !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) ||
      !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()))
    return openssl_error("RSA public key");
  return from_params("RSA", builder.get());
}

Result<EvpPkeyPtr> ed25519_public_key(std::string_view ec_point) {
  const std::string point = unwrap_point(ec_point);
  if (point.size() != 32) return Error{"Ed25519 public key: point is not 32 bytes"};
  EVP_PKEY* key = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(point.data()), 32);
  if (!key) return openssl_error("Ed25519 public key");
  return EvpPkeyPtr(key);
}

Result<EvpPkeyPtr> public_key(Session& session, const Key& key) {
  if (key.public_handle == CK_INVALID_HANDLE)
    return Error{"key " + key.name + " has no public key in the token"};
  auto pkey = read_public_key(session, key.public_handle);
  if (!pkey) return with_context("public key of " + key.name, pkey.error());
  return pkey;
}

Result<std::string> public_key_to_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1)
    return openssl_error("PEM_write_bio_PUBKEY");
  return bio_contents(bio.get());
}

Result<std::string> public_key_pem(Session& session, const Key& key) {
  auto pkey = public_key(session, key);
  if (!pkey) return pkey.error();
  return public_key_to_pem(pkey->get());
}

}  // namespace appliance::hsm
