// NAME
//   signer_key.cpp - EC_KEY_METHOD and RSA_METHOD that forward to a callback.
//
// DESCRIPTION
//   The callback lives in the EC_KEY / RSA ex_data and is freed with the key.
//   Each C entry point below is a boundary: no exception leaves it, and a
//   failure is left on the OpenSSL error queue as one ERR_LIB_USER entry
//   carrying the callback's message, which is what SSL and X509 report.
//
//   The methods are made once per process and never freed: every signer key
//   made points at them, and OpenSSL does not count references to methods.
#include "signer_key.h"

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>

#include <cstring>

// EC_KEY_METHOD and RSA_METHOD are deprecated in OpenSSL 3.0; they are what
// makes a foreign key work in libssl 3.0 without writing a provider.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

namespace appliance::hsm {

namespace {

struct Holder {
  SignCallback sign;
};

void free_holder(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<Holder*>(ptr);
}

int ec_index() {
  static const int index = EC_KEY_get_ex_new_index(0, nullptr, nullptr, nullptr, free_holder);
  return index;
}

int rsa_index() {
  static const int index = RSA_get_ex_new_index(0, nullptr, nullptr, nullptr, free_holder);
  return index;
}

void raise(const std::string& message) {
  ERR_raise_data(ERR_LIB_USER, ERR_R_OPERATION_FAIL, "signer key: %s", message.c_str());
}

// The one place the callback runs; nothing thrown gets past it.
Result<std::string> invoke(Holder* holder, SignScheme scheme, const unsigned char* in, int length) {
  if (!holder || !holder->sign) return Error{"no signing callback"};
  try {
    ERR_set_mark();  // whatever the callback leaves on the queue is not ours to report
    Result<std::string> result = holder->sign(SignRequest{
        scheme, std::string(reinterpret_cast<const char*>(in), static_cast<std::size_t>(length))});
    ERR_pop_to_mark();
    return result;
  } catch (const std::exception& e) {
    ERR_pop_to_mark();
    return Error{std::string("callback threw: ") + e.what()};
  } catch (...) {
    ERR_pop_to_mark();
    return Error{"callback threw"};
  }
}

Result<std::string> ec_sign_der(const unsigned char* digest, int length, EC_KEY* ec) {
  auto* holder = static_cast<Holder*>(EC_KEY_get_ex_data(ec, ec_index()));
  auto der = invoke(holder, SignScheme::ecdsa, digest, length);
  if (!der) return der.error();
  if (der->empty() || der->size() > static_cast<std::size_t>(ECDSA_size(ec)))
    return Error{"ECDSA signature of the wrong size"};
  return der;
}

int ec_sign(int, const unsigned char* digest, int length, unsigned char* sig, unsigned int* siglen,
            const BIGNUM*, const BIGNUM*, EC_KEY* ec) {
  auto der = ec_sign_der(digest, length, ec);
  if (!der) {
    raise(der.message());
    return 0;
  }
  std::memcpy(sig, der->data(), der->size());
  *siglen = static_cast<unsigned int>(der->size());
  return 1;
}

ECDSA_SIG* ec_sign_sig(const unsigned char* digest, int length, const BIGNUM*, const BIGNUM*,
                       EC_KEY* ec) {
  auto der = ec_sign_der(digest, length, ec);
  if (!der) {
    raise(der.message());
    return nullptr;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(der->data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der->size()));
  if (!sig) raise("callback returned an ECDSA signature that is not DER");
  return sig;
}

// Nothing to precompute: the nonce is chosen where the key is.
int ec_sign_setup(EC_KEY*, BN_CTX*, BIGNUM** kinv, BIGNUM** r) {
  if (kinv) *kinv = nullptr;
  if (r) *r = nullptr;
  return 1;
}

int rsa_priv_enc(int length, const unsigned char* from, unsigned char* to, RSA* rsa, int padding) {
  const int size = RSA_size(rsa);
  SignScheme scheme;
  if (padding == RSA_PKCS1_PADDING) {
    scheme = SignScheme::rsa_pkcs1;
  } else if (padding == RSA_NO_PADDING && length == size) {
    scheme = SignScheme::rsa_raw;
  } else {
    raise("RSA padding mode " + std::to_string(padding) + " is not supported");
    return -1;
  }
  auto* holder = static_cast<Holder*>(RSA_get_ex_data(rsa, rsa_index()));
  auto sig = invoke(holder, scheme, from, length);
  if (!sig || sig->empty() || sig->size() > static_cast<std::size_t>(size)) {
    raise(sig ? "RSA signature of the wrong size" : sig.message());
    return -1;
  }
  const std::size_t pad = static_cast<std::size_t>(size) - sig->size();
  std::memset(to, 0, pad);
  std::memcpy(to + pad, sig->data(), sig->size());
  return size;
}

int rsa_priv_dec(int, const unsigned char*, unsigned char*, RSA*, int) {
  raise("RSA decryption with a signer key is not offered");
  return -1;
}

const EC_KEY_METHOD* ec_method() {
  static EC_KEY_METHOD* const method = [] {
    EC_KEY_METHOD* m = EC_KEY_METHOD_new(EC_KEY_get_default_method());
    if (m) EC_KEY_METHOD_set_sign(m, ec_sign, ec_sign_setup, ec_sign_sig);
    return m;
  }();
  return method;
}

const RSA_METHOD* rsa_method() {
  static RSA_METHOD* const method = [] {
    RSA_METHOD* m = RSA_meth_dup(RSA_PKCS1_OpenSSL());
    if (m) {
      RSA_meth_set1_name(m, "appliance signer key");
      RSA_meth_set_priv_enc(m, rsa_priv_enc);
      RSA_meth_set_priv_dec(m, rsa_priv_dec);
    }
    return m;
  }();
  return method;
}

// Wrapped so that the deprecated calls are made here, under the pragma.
void free_ec_key(EC_KEY* key) {
  EC_KEY_free(key);
}
void free_rsa(RSA* key) {
  RSA_free(key);
}
using EcKeyPtr = std::unique_ptr<EC_KEY, OsslDeleter<free_ec_key>>;
using RsaPtr = std::unique_ptr<RSA, OsslDeleter<free_rsa>>;
using EcGroupPtr = std::unique_ptr<EC_GROUP, OsslDeleter<EC_GROUP_free>>;

Result<EcGroupPtr> group_of(EVP_PKEY* public_key) {
  char name[80] = {};
  if (EVP_PKEY_get_utf8_string_param(public_key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name,
                                     nullptr) != 1)
    return openssl_error("EC key without a named curve");
  int nid = OBJ_sn2nid(name);
  if (nid == NID_undef) nid = EC_curve_nist2nid(name);
  EcGroupPtr group(nid == NID_undef ? nullptr : EC_GROUP_new_by_curve_name(nid));
  if (!group) return openssl_error(std::string("EC curve ") + name);
  return group;
}

Result<EvpPkeyPtr> make_ec_signer(EVP_PKEY* public_key, std::unique_ptr<Holder> holder) {
  auto group = group_of(public_key);
  if (!group) return group.error();
  unsigned char point[200];
  std::size_t point_size = 0;
  if (EVP_PKEY_get_octet_string_param(public_key, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point,
                                      &point_size) != 1)
    return openssl_error("EC public point");

  EcKeyPtr ec(EC_KEY_new());
  if (!ec || EC_KEY_set_method(ec.get(), ec_method()) != 1 ||
      EC_KEY_set_group(ec.get(), group->get()) != 1 ||
      EC_KEY_oct2key(ec.get(), point, point_size, nullptr) != 1)
    return openssl_error("EC signer key");
  if (EC_KEY_set_ex_data(ec.get(), ec_index(), holder.get()) != 1)
    return openssl_error("EC signer key");
  holder.release();  // freed with the EC_KEY
  EvpPkeyPtr pkey(EVP_PKEY_new());
  if (!pkey || EVP_PKEY_assign_EC_KEY(pkey.get(), ec.get()) != 1)
    return openssl_error("EC signer key");
  ec.release();  // owned by pkey
  return pkey;
}

Result<EvpPkeyPtr> make_rsa_signer(EVP_PKEY* public_key, std::unique_ptr<Holder> holder) {
  BIGNUM* n = nullptr;
  BIGNUM* e = nullptr;
  EVP_PKEY_get_bn_param(public_key, OSSL_PKEY_PARAM_RSA_N, &n);
  EVP_PKEY_get_bn_param(public_key, OSSL_PKEY_PARAM_RSA_E, &e);
  BignumPtr n_owned(n), e_owned(e);
  if (!n || !e) return openssl_error("RSA public key parameters");

  RsaPtr rsa(RSA_new());
  if (!rsa || RSA_set_method(rsa.get(), rsa_method()) != 1 ||
      RSA_set0_key(rsa.get(), n, e, nullptr) != 1)
    return openssl_error("RSA signer key");
  n_owned.release();  // owned by rsa
  e_owned.release();
  if (RSA_set_ex_data(rsa.get(), rsa_index(), holder.get()) != 1)
    return openssl_error("RSA signer key");
  holder.release();  // freed with the RSA
  EvpPkeyPtr pkey(EVP_PKEY_new());
  if (!pkey || EVP_PKEY_assign_RSA(pkey.get(), rsa.get()) != 1)
    return openssl_error("RSA signer key");
  rsa.release();  // owned by pkey
  return pkey;
}

}  // namespace

Result<EvpPkeyPtr> make_signer_key(EVP_PKEY* public_key, SignCallback sign) {
  if (!public_key) return Error{"signer key: no public key"};
  if (!sign) return Error{"signer key: no signing callback"};
  if (!ec_method() || !rsa_method()) return openssl_error("signer key: key methods");
  auto holder = std::make_unique<Holder>(Holder{std::move(sign)});
  if (EVP_PKEY_get_base_id(public_key) == EVP_PKEY_EC)
    return make_ec_signer(public_key, std::move(holder));
  if (EVP_PKEY_get_base_id(public_key) == EVP_PKEY_RSA)
    return make_rsa_signer(public_key, std::move(holder));
  return Error{"signer key: unsupported key type (EC or RSA only)"};
}

}  // namespace appliance::hsm

#pragma GCC diagnostic pop
