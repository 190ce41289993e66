// NAME
//   ops.cpp - signatures in the token: ECDSA, RSA PKCS#1 v1.5, RSA-PSS, raw
//   RSA, Ed25519.
//
// DESCRIPTION
//   One helper runs C_SignInit + C_Sign with a buffer large enough for RSA-4096
//   and retries once if the module asks for more.
#include "ops.h"

#include <openssl/crypto.h>

namespace appliance::hsm {

namespace {

Result<std::string> run_sign(Session& session, CK_MECHANISM& mechanism, CK_OBJECT_HANDLE key,
                             std::string_view data) {
  CK_FUNCTION_LIST* fn = session.fn();
  CK_RV rv = fn->C_SignInit(session.handle(), &mechanism, key);
  if (rv != CKR_OK) return p11_error("C_SignInit", rv);
  std::string signature(512, '\0');
  CK_ULONG length = signature.size();
  rv = fn->C_Sign(session.handle(), in_bytes(data), static_cast<CK_ULONG>(data.size()),
                  out_bytes(signature), &length);
  if (rv == CKR_BUFFER_TOO_SMALL) {  // the operation stays active for the retry
    signature.resize(length);
    rv = fn->C_Sign(session.handle(), in_bytes(data), static_cast<CK_ULONG>(data.size()),
                    out_bytes(signature), &length);
  }
  if (rv != CKR_OK) return p11_error("C_Sign", rv);
  signature.resize(length);
  return signature;
}

CK_MECHANISM_TYPE hash_mechanism(Hash hash) {
  return hash == Hash::sha256 ? CKM_SHA256 : hash == Hash::sha384 ? CKM_SHA384 : CKM_SHA512;
}

CK_RSA_PKCS_MGF_TYPE mgf_for(Hash hash) {
  return hash == Hash::sha256   ? CKG_MGF1_SHA256
         : hash == Hash::sha384 ? CKG_MGF1_SHA384
                                : CKG_MGF1_SHA512;
}

}  // namespace

Result<std::string> ecdsa_sign_digest(Session& session, CK_OBJECT_HANDLE key,
                                      std::string_view digest) {
  if (digest.empty() || digest.size() > 64) return Error{"ECDSA: digest must be 1 to 64 bytes"};
  CK_MECHANISM mechanism{CKM_ECDSA, nullptr, 0};
  auto raw = run_sign(session, mechanism, key, digest);
  if (!raw) return with_context("ECDSA", raw.error());
  return ecdsa_raw_to_der(*raw);
}

Result<std::string> rsa_pkcs1_sign_digest(Session& session, CK_OBJECT_HANDLE key, Hash hash,
                                          std::string_view digest) {
  auto info = digest_info(hash, digest);
  if (!info) return with_context("RSA PKCS#1", info.error());
  return rsa_pkcs1_sign_digest_info(session, key, *info);
}

Result<std::string> rsa_pkcs1_sign_digest_info(Session& session, CK_OBJECT_HANDLE key,
                                               std::string_view digest_info) {
  CK_MECHANISM mechanism{CKM_RSA_PKCS, nullptr, 0};
  auto signature = run_sign(session, mechanism, key, digest_info);
  if (!signature) return with_context("RSA PKCS#1", signature.error());
  return signature;
}

Result<std::string> rsa_pss_sign_digest(Session& session, CK_OBJECT_HANDLE key, Hash hash,
                                        std::string_view digest) {
  if (digest.size() != hash_size(hash))
    return Error{"RSA-PSS: digest is " + std::to_string(digest.size()) + " bytes, expected " +
                 std::to_string(hash_size(hash))};
  CK_RSA_PKCS_PSS_PARAMS params{hash_mechanism(hash), mgf_for(hash), hash_size(hash)};
  CK_MECHANISM mechanism{CKM_RSA_PKCS_PSS, &params, sizeof params};
  auto signature = run_sign(session, mechanism, key, digest);
  if (!signature) return with_context("RSA-PSS", signature.error());
  return signature;
}

Result<std::string> rsa_raw(Session& session, CK_OBJECT_HANDLE key, std::string_view block) {
  CK_MECHANISM mechanism{CKM_RSA_X_509, nullptr, 0};
  auto result = run_sign(session, mechanism, key, block);
  if (!result) return with_context("raw RSA", result.error());
  return result;
}

Result<std::string> ed25519_sign(Session& session, CK_OBJECT_HANDLE key, std::string_view message) {
  auto has = session.module().has_mechanism(session.slot(), CKM_EDDSA);
  if (!has) return has.error();
  if (!*has) return Error{"Ed25519: not supported by this module"};
  CK_MECHANISM mechanism{CKM_EDDSA, nullptr, 0};
  auto signature = run_sign(session, mechanism, key, message);
  if (!signature) return with_context("Ed25519", signature.error());
  return signature;
}

Result<std::string> hmac_sha256(Session& session, CK_OBJECT_HANDLE key, std::string_view data) {
  CK_MECHANISM mechanism{CKM_SHA256_HMAC, nullptr, 0};
  auto mac = run_sign(session, mechanism, key, data);
  if (!mac) return with_context("HMAC-SHA256", mac.error());
  return mac;
}

Result<bool> hmac_sha256_verify(Session& session, CK_OBJECT_HANDLE key, std::string_view data,
                                std::string_view mac) {
  auto expected = hmac_sha256(session, key, data);
  if (!expected) return expected.error();
  return mac.size() == expected->size() &&
         CRYPTO_memcmp(mac.data(), expected->data(), mac.size()) == 0;
}

}  // namespace appliance::hsm
