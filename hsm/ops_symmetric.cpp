// NAME
//   ops_symmetric.cpp - AES-256-GCM sealing, AES key wrap, hot copies.
//
// DESCRIPTION
//   The GCM IV comes from RAND_bytes and travels in front of the ciphertext;
//   96 bits at random is safe for far more seals than a token key will see
//   before rotation. A failed GCM decryption is reported as an authentication
//   failure whatever code the module chose for it.
#include "ops.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

namespace appliance::hsm {

namespace {

constexpr std::size_t kIvSize = 12;
constexpr std::size_t kTagSize = 16;

CK_GCM_PARAMS gcm_params(std::string& iv, std::string_view associated_data) {
  CK_GCM_PARAMS params{};
  params.pIv = out_bytes(iv);
  params.ulIvLen = kIvSize;
  params.ulIvBits = kIvSize * 8;
  params.pAAD = associated_data.empty() ? nullptr : in_bytes(associated_data);
  params.ulAADLen = static_cast<CK_ULONG>(associated_data.size());
  params.ulTagBits = kTagSize * 8;
  return params;
}

}  // namespace

Result<std::string> seal(Session& session, CK_OBJECT_HANDLE key, std::string_view plaintext,
                         std::string_view associated_data) {
  std::string iv(kIvSize, '\0');
  if (RAND_bytes(out_bytes(iv), kIvSize) != 1) return Error{"seal: RAND_bytes failed"};
  CK_GCM_PARAMS params = gcm_params(iv, associated_data);
  CK_MECHANISM mechanism{CKM_AES_GCM, &params, sizeof params};
  CK_FUNCTION_LIST* fn = session.fn();
  if (CK_RV rv = fn->C_EncryptInit(session.handle(), &mechanism, key); rv != CKR_OK)
    return with_context("seal", p11_error("C_EncryptInit", rv));
  std::string out(kIvSize + plaintext.size() + kTagSize, '\0');
  CK_ULONG length = out.size() - kIvSize;
  const CK_RV rv =
      fn->C_Encrypt(session.handle(), in_bytes(plaintext), static_cast<CK_ULONG>(plaintext.size()),
                    out_bytes(out) + kIvSize, &length);
  if (rv != CKR_OK) return with_context("seal", p11_error("C_Encrypt", rv));
  if (length != plaintext.size() + kTagSize) return Error{"seal: unexpected ciphertext length"};
  out.replace(0, kIvSize, iv);
  return out;
}

Result<Secret> unseal(Session& session, CK_OBJECT_HANDLE key, std::string_view sealed,
                      std::string_view associated_data) {
  if (sealed.size() < kIvSize + kTagSize) return Error{"unseal: too short to be sealed data"};
  std::string iv(sealed.substr(0, kIvSize));
  const std::string_view body = sealed.substr(kIvSize);
  CK_GCM_PARAMS params = gcm_params(iv, associated_data);
  CK_MECHANISM mechanism{CKM_AES_GCM, &params, sizeof params};
  CK_FUNCTION_LIST* fn = session.fn();
  if (CK_RV rv = fn->C_DecryptInit(session.handle(), &mechanism, key); rv != CKR_OK)
    return with_context("unseal", p11_error("C_DecryptInit", rv));
  std::string plain(body.size(), '\0');
  CK_ULONG length = plain.size();
  const CK_RV rv = fn->C_Decrypt(session.handle(), in_bytes(body),
                                 static_cast<CK_ULONG>(body.size()), out_bytes(plain), &length);
  if (rv != CKR_OK || length != body.size() - kTagSize) {
    OPENSSL_cleanse(plain.data(), plain.size());
    if (rv == CKR_OK) return Error{"unseal: unexpected plaintext length"};
    return Error{"unseal: authentication failed (" + p11_error("C_Decrypt", rv).message + ")"};
  }
  plain.resize(length);  // shrinking keeps the buffer: nothing is copied
  return Secret(std::move(plain));
}

Result<WrappedKey> wrap_key(Session& session, CK_OBJECT_HANDLE wrapping_key, CK_OBJECT_HANDLE key) {
  auto has_pad = session.module().has_mechanism(session.slot(), CKM_AES_KEY_WRAP_PAD);
  if (!has_pad) return has_pad.error();
  WrappedKey wrapped;
  wrapped.mechanism = *has_pad ? CKM_AES_KEY_WRAP_PAD : CKM_AES_KEY_WRAP;
  CK_MECHANISM mechanism{wrapped.mechanism, nullptr, 0};
  wrapped.bytes.resize(512);
  CK_ULONG length = wrapped.bytes.size();
  const CK_RV rv = session.fn()->C_WrapKey(session.handle(), &mechanism, wrapping_key, key,
                                           out_bytes(wrapped.bytes), &length);
  if (rv != CKR_OK) return with_context("wrap", p11_error("C_WrapKey", rv));
  wrapped.bytes.resize(length);
  return wrapped;
}

Result<CK_OBJECT_HANDLE> unwrap_key(Session& session, CK_OBJECT_HANDLE wrapping_key,
                                    const WrappedKey& wrapped) {
  if (wrapped.mechanism != CKM_AES_KEY_WRAP_PAD && wrapped.mechanism != CKM_AES_KEY_WRAP)
    return Error{"unwrap: not an AES key wrap mechanism"};
  Template t;
  t.ulong(CKA_CLASS, CKO_SECRET_KEY)
      .ulong(CKA_KEY_TYPE, CKK_AES)
      .flag(CKA_TOKEN, false)
      .flag(CKA_PRIVATE, true)
      .flag(CKA_SENSITIVE, true)
      .flag(CKA_EXTRACTABLE, false)
      .flag(CKA_ENCRYPT, true)
      .flag(CKA_DECRYPT, true);
  CK_MECHANISM mechanism{wrapped.mechanism, nullptr, 0};
  CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
  const CK_RV rv = session.fn()->C_UnwrapKey(
      session.handle(), &mechanism, wrapping_key, in_bytes(wrapped.bytes),
      static_cast<CK_ULONG>(wrapped.bytes.size()), t.data(), t.size(), &handle);
  if (rv != CKR_OK) return with_context("unwrap", p11_error("C_UnwrapKey", rv));
  return handle;
}

Result<CK_OBJECT_HANDLE> hot_copy(Session& session, CK_OBJECT_HANDLE key) {
  Template t;
  t.flag(CKA_TOKEN, false);
  CK_OBJECT_HANDLE copy = CK_INVALID_HANDLE;
  const CK_RV rv = session.fn()->C_CopyObject(session.handle(), key, t.data(), t.size(), &copy);
  if (rv != CKR_OK) return with_context("hot copy", p11_error("C_CopyObject", rv));
  return copy;
}

}  // namespace appliance::hsm
