// NAME
//   import_test.cpp - importing PEM, PKCS#8 and PKCS#12 keys into the token.
//
// DESCRIPTION
//   Keys are made by OpenSSL, written in each accepted format, imported, then
//   checked: protected in the token, and signing there so that the original
//   public key verifies. Wrong passwords and unsupported keys give the
//   documented errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

#include "hsm/attributes.h"
#include "hsm/cert.h"
#include "hsm/import.h"
#include "hsm/ops.h"
#include "hsm/test_token.h"

namespace appliance::hsm {
namespace {

using ::testing::HasSubstr;
using testing::sha256;
using testing::TokenTest;

const Secret kPassword("correct horse battery staple");

std::string pem_pkcs8(EVP_PKEY* key, const EVP_CIPHER* cipher = nullptr) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  const std::string pass(kPassword.reveal());
  PEM_write_bio_PKCS8PrivateKey(bio.get(), key, cipher, nullptr, 0, nullptr,
                                cipher ? const_cast<char*>(pass.c_str()) : nullptr);
  return bio_contents(bio.get());
}

std::string pem_traditional(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey_traditional(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return bio_contents(bio.get());
}

std::string der_pkcs8(EVP_PKEY* key, const EVP_CIPHER* cipher = nullptr) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  const std::string pass(kPassword.reveal());
  i2d_PKCS8PrivateKey_bio(bio.get(), key, cipher,
                          cipher ? const_cast<char*>(pass.c_str()) : nullptr,
                          cipher ? static_cast<int>(pass.size()) : 0, nullptr, nullptr);
  return bio_contents(bio.get());
}

bool verify_digest(EVP_PKEY* pub, std::string_view sig, std::string_view digest, bool rsa) {
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new(pub, nullptr));
  if (EVP_PKEY_verify_init(ctx.get()) != 1) return false;
  if (rsa && (EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1 ||
              EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) != 1))
    return false;
  return EVP_PKEY_verify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                         reinterpret_cast<const unsigned char*>(digest.data()), digest.size()) == 1;
}

class ImportTest : public TokenTest {
 protected:
  // The imported key is protected, and signs like the original.
  void expect_usable(const Key& key, EVP_PKEY* original) {
    auto flags = read_key_flags(session(), key.handle);
    ASSERT_OK(flags);
    EXPECT_TRUE(flags->token);
    EXPECT_TRUE(flags->is_private);
    EXPECT_TRUE(flags->sensitive);
    EXPECT_FALSE(flags->extractable);
    EXPECT_FALSE(flags->always_sensitive);  // it has been outside the token
    EXPECT_FALSE(get_bytes(session(), key.handle, CKA_VALUE).ok());
    EXPECT_FALSE(get_bytes(session(), key.handle, CKA_PRIVATE_EXPONENT).ok());
    EXPECT_NE(key.public_handle, CK_INVALID_HANDLE);
    EXPECT_FALSE(key.created.empty());

    const std::string digest = sha256("imported");
    if (key.algorithm == Algorithm::ed25519) {
      auto sig = ed25519_sign(session(), key.handle, "imported");
      ASSERT_OK(sig);
      EvpMdCtxPtr ctx(EVP_MD_CTX_new());
      EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, original);
      EXPECT_EQ(
          EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig->data()),
                           sig->size(), reinterpret_cast<const unsigned char*>("imported"), 8),
          1);
      return;
    }
    const bool rsa = key.algorithm != Algorithm::ec_p256;
    auto sig = rsa ? rsa_pkcs1_sign_digest(session(), key.handle, Hash::sha256, digest)
                   : ecdsa_sign_digest(session(), key.handle, digest);
    ASSERT_OK(sig);
    EXPECT_TRUE(verify_digest(original, *sig, digest, rsa));
  }
};

TEST_F(ImportTest, Pkcs8PemEcKey) {
  EvpPkeyPtr original(EVP_EC_gen("P-256"));
  auto key = import_pem(session(), "tls/import-ec/v1", pem_pkcs8(original.get()));
  ASSERT_OK(key);
  EXPECT_EQ(key->algorithm, Algorithm::ec_p256);
  expect_usable(*key, original.get());
}

TEST_F(ImportTest, TraditionalPemRsaKey) {
  EvpPkeyPtr original(EVP_RSA_gen(2048));
  const std::string pem = pem_traditional(original.get());
  ASSERT_THAT(pem, HasSubstr("BEGIN RSA PRIVATE KEY"));
  auto key = import_pem(session(), "tls/import-rsa/v1", pem);
  ASSERT_OK(key);
  EXPECT_EQ(key->algorithm, Algorithm::rsa_2048);
  expect_usable(*key, original.get());
}

TEST_F(ImportTest, Ed25519PemKeyForDkim) {
  EvpPkeyPtr original(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  auto key = import_pem(session(), "dkim/import.example.com/ed1", pem_pkcs8(original.get()));
  ASSERT_OK(key);
  EXPECT_EQ(key->algorithm, Algorithm::ed25519);
  expect_usable(*key, original.get());
}

TEST_F(ImportTest, EncryptedPemNeedsTheRightPassword) {
  EvpPkeyPtr original(EVP_EC_gen("P-256"));
  const std::string pem = pem_pkcs8(original.get(), EVP_aes_256_cbc());
  ASSERT_THAT(pem, HasSubstr("ENCRYPTED PRIVATE KEY"));
  auto none = import_pem(session(), "tls/import-enc/v1", pem);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.message(), "bad PEM: the key is encrypted and no password was given");
  auto wrong = import_pem(session(), "tls/import-enc/v1", pem, Secret("wrong"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.message(), "bad PEM: wrong password or damaged key");
  auto key = import_pem(session(), "tls/import-enc/v1", pem, kPassword);
  ASSERT_OK(key);
  expect_usable(*key, original.get());
}

TEST_F(ImportTest, DerPkcs8PlainAndEncrypted) {
  EvpPkeyPtr plain(EVP_EC_gen("P-256"));
  auto key = import_pkcs8(session(), "tls/import-der/v1", der_pkcs8(plain.get()));
  ASSERT_OK(key);
  expect_usable(*key, plain.get());

  EvpPkeyPtr secret(EVP_RSA_gen(2048));
  const std::string der = der_pkcs8(secret.get(), EVP_aes_256_cbc());
  auto wrong = import_pkcs8(session(), "tls/import-der-enc/v1", der, Secret("nope"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.message(), "PKCS#8: wrong password or damaged key");
  auto none = import_pkcs8(session(), "tls/import-der-enc/v1", der);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.message(), "PKCS#8: the key is encrypted and no password was given");
  auto right = import_pkcs8(session(), "tls/import-der-enc/v1", der, kPassword);
  ASSERT_OK(right);
  expect_usable(*right, secret.get());
  EXPECT_THAT(import_pkcs8(session(), "tls/x/v1", "not der").message(),
              HasSubstr("bad PKCS#8: not a private key"));
}

TEST_F(ImportTest, Pkcs12GivesTheKeyAndItsCertificate) {
  EvpPkeyPtr original(EVP_EC_gen("P-256"));
  auto cert = make_self_signed(original.get(), "p12.example.com");
  ASSERT_OK(cert);
  const std::string pass(kPassword.reveal());
  Pkcs12Ptr p12(
      PKCS12_create(pass.c_str(), "p12", original.get(), cert->get(), nullptr, 0, 0, 0, 0, 0));
  ASSERT_TRUE(p12);
  BioPtr bio(BIO_new(BIO_s_mem()));
  ASSERT_EQ(i2d_PKCS12_bio(bio.get(), p12.get()), 1);
  const std::string der = bio_contents(bio.get());

  auto wrong = import_pkcs12(session(), "tls/p12.example.com/v1", der, Secret("guess"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.message(), "PKCS#12: wrong password");

  auto imported = import_pkcs12(session(), "tls/p12.example.com/v1", der, kPassword);
  ASSERT_OK(imported);
  ASSERT_EQ(imported->certificates.size(), 1u);
  EXPECT_EQ(X509_cmp(imported->certificates[0].get(), cert->get()), 0);
  expect_usable(imported->key, original.get());

  EXPECT_THAT(import_pkcs12(session(), "tls/x/v1", "junk", kPassword).message(),
              HasSubstr("PKCS#12: not a PKCS#12 file"));
}

TEST_F(ImportTest, BadPemIsNamedAsSuch) {
  auto garbage = import_pem(session(), "tls/bad/v1", "hello");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.message(), "bad PEM: no private key found");
  auto broken = import_pem(session(), "tls/bad/v1",
                           "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
  ASSERT_FALSE(broken.ok());
  EXPECT_THAT(broken.message(), ::testing::StartsWith("bad PEM: "));
}

TEST_F(ImportTest, UnsupportedKeyTypesAreRefused) {
  EvpPkeyPtr p384(EVP_EC_gen("P-384"));
  auto curve = import_pem(session(), "tls/p384/v1", pem_pkcs8(p384.get()));
  ASSERT_FALSE(curve.ok());
  EXPECT_EQ(curve.message(), "unsupported key type: EC on curve secp384r1");
  EvpPkeyPtr small(EVP_RSA_gen(1024));
  auto rsa = import_pem(session(), "tls/rsa1024/v1", pem_pkcs8(small.get()));
  ASSERT_FALSE(rsa.ok());
  EXPECT_EQ(rsa.message(), "unsupported key type: RSA-1024");
  EvpPkeyPtr x25519(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"));
  auto xdh = import_pem(session(), "tls/x25519/v1", pem_pkcs8(x25519.get()));
  ASSERT_FALSE(xdh.ok());
  EXPECT_EQ(xdh.message(), "unsupported key type: X25519");
  // A supported type under a purpose that does not allow it.
  EvpPkeyPtr ec(EVP_EC_gen("P-256"));
  auto purpose = import_pem(session(), "dkim/example.org/ec1", pem_pkcs8(ec.get()));
  ASSERT_FALSE(purpose.ok());
  EXPECT_THAT(purpose.message(), HasSubstr("not allowed for purpose dkim"));
}

}  // namespace
}  // namespace appliance::hsm
