// NAME
//   ossl.h - owning pointers for OpenSSL objects, and OpenSSL errors as Error.
//
// DESCRIPTION
//   openssl_error("what") takes the first reason from this thread's OpenSSL
//   error queue and clears the queue: a stale entry left behind would make a
//   later, unrelated SSL_get_error() report SSL_ERROR_SSL.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace appliance::hsm {

template <auto Free>
struct OsslDeleter {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OsslDeleter<EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OsslDeleter<EVP_PKEY_CTX_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OsslDeleter<EVP_MD_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, OsslDeleter<X509_free>>;
using X509ReqPtr = std::unique_ptr<X509_REQ, OsslDeleter<X509_REQ_free>>;
using BioPtr = std::unique_ptr<BIO, OsslDeleter<BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, OsslDeleter<BN_clear_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OsslDeleter<ECDSA_SIG_free>>;
using Pkcs12Ptr = std::unique_ptr<PKCS12, OsslDeleter<PKCS12_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, OsslDeleter<OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, OsslDeleter<OSSL_PARAM_free>>;

// "what: <OpenSSL reason>"; clears the thread's error queue.
Error openssl_error(std::string_view what);

// A read-only memory BIO over `data` (which must outlive it).
BioPtr memory_bio(std::string_view data);
// Everything written to a memory BIO so far.
std::string bio_contents(BIO* bio);

}  // namespace appliance::hsm
