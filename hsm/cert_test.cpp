// NAME
//   cert_test.cpp - CSRs and self-signed certificates signed in the token, and
//   signer keys whose callback fails.
//
// DESCRIPTION
//   A CSR and a self-signed certificate are made with a signer key whose
//   callback signs in the token (EC P-256 and RSA-2048), then verified with
//   OpenSSL against the public key read from the token. Signer keys whose
//   callback fails or throws must fail the signature, not the process.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <map>

#include "hsm/cert.h"
#include "hsm/keys.h"
#include "hsm/pubkey.h"
#include "hsm/test_token.h"
#include "hsm/token_signer.h"

namespace appliance::hsm {
namespace {

using ::testing::HasSubstr;
using testing::TestToken;
using testing::TokenTest;

class CertTest : public TokenTest, public ::testing::WithParamInterface<Algorithm> {
 protected:
  static void SetUpTestSuite() {
    auto session = TestToken::get().session();
    ASSERT_OK(session);
    for (Algorithm a : {Algorithm::ec_p256, Algorithm::rsa_2048}) {
      auto key = generate_key(*session, "tls/cert-" + std::string(algorithm_name(a)) + "/v1", a);
      ASSERT_OK(key);
      keys()[a] = *key;
    }
  }
  static std::map<Algorithm, Key>& keys() {
    static std::map<Algorithm, Key> made;
    return made;
  }

  EvpPkeyPtr signer() {
    auto key = token_signer_key(session(), keys().at(GetParam()));
    EXPECT_TRUE(key.ok()) << key.message();
    return key.ok() ? std::move(*key) : EvpPkeyPtr();
  }
  EvpPkeyPtr token_public_key() {
    return std::move(public_key(session(), keys().at(GetParam()))).value();
  }
};

std::vector<std::string> san_dns_names(const X509_EXTENSIONS* extensions) {
  std::vector<std::string> out;
  auto* names = static_cast<GENERAL_NAMES*>(
      X509V3_get_d2i(extensions, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i) {
    int type = 0;
    auto* value =
        static_cast<ASN1_STRING*>(GENERAL_NAME_get0_value(sk_GENERAL_NAME_value(names, i), &type));
    if (type == GEN_DNS)
      out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                       ASN1_STRING_length(value));
  }
  GENERAL_NAMES_free(names);
  return out;
}

TEST_P(CertTest, CsrIsSignedInTheTokenAndVerifies) {
  auto key = signer();
  auto csr = make_csr(key.get(), "mail.example.com", {"mail.example.com", "smtp.example.com"});
  ASSERT_OK(csr);
  auto pub = token_public_key();
  EXPECT_EQ(X509_REQ_verify(csr->get(), pub.get()), 1);
  EXPECT_EQ(X509_REQ_verify(csr->get(), X509_REQ_get0_pubkey(csr->get())), 1);
  EXPECT_EQ(EVP_PKEY_eq(X509_REQ_get0_pubkey(csr->get()), pub.get()), 1);

  STACK_OF(X509_EXTENSION)* extensions = X509_REQ_get_extensions(csr->get());
  EXPECT_THAT(san_dns_names(extensions),
              ::testing::ElementsAre("mail.example.com", "smtp.example.com"));
  sk_X509_EXTENSION_pop_free(extensions, X509_EXTENSION_free);

  auto pem = csr_to_pem(csr->get());
  ASSERT_OK(pem);
  EXPECT_THAT(*pem, ::testing::StartsWith("-----BEGIN CERTIFICATE REQUEST-----"));
}

TEST_P(CertTest, SelfSignedCertificateVerifiesAsItsOwnAnchor) {
  auto key = signer();
  auto cert = make_self_signed(key.get(), "mail.example.com", 30);
  ASSERT_OK(cert);
  auto pub = token_public_key();
  EXPECT_EQ(X509_verify(cert->get(), pub.get()), 1);
  EXPECT_EQ(X509_check_host(cert->get(), "mail.example.com", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(cert->get(), "other.example.com", 0, 0, nullptr), 0);
  EXPECT_EQ(X509_check_purpose(cert->get(), X509_PURPOSE_SSL_SERVER, 0), 1);

  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, cert->get());
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, cert->get(), nullptr);
  X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
  EXPECT_EQ(X509_verify_cert(ctx), 1)
      << X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
}

INSTANTIATE_TEST_SUITE_P(Cert, CertTest, ::testing::Values(Algorithm::ec_p256, Algorithm::rsa_2048),
                         [](const auto& info) {
                           return info.param == Algorithm::ec_p256 ? "EcP256" : "Rsa2048";
                         });

TEST(Cert, RefusesNamesThatAreNotDnsNames) {
  EvpPkeyPtr key(EVP_EC_gen("P-256"));
  auto cert = make_self_signed(key.get(), "mail.example.com,IP:10.0.0.1");
  ASSERT_FALSE(cert.ok());
  EXPECT_THAT(cert.message(), HasSubstr("is not a DNS name"));
  auto csr = make_csr(key.get(), "mail", {"ok.example.com", "bad name"});
  ASSERT_FALSE(csr.ok());
  EXPECT_THAT(csr.message(), HasSubstr("\"bad name\" is not a DNS name"));
  EXPECT_OK(make_csr(key.get(), "wild", {"*.example.com"}));
}

TEST(SignerKey, ACallbackFailureFailsTheSignatureWithItsMessage) {
  EvpPkeyPtr real(EVP_EC_gen("P-256"));
  auto failing = make_signer_key(real.get(), [](const SignRequest&) -> Result<std::string> {
    return Error{"keyd is not answering"};
  });
  ASSERT_OK(failing);
  auto cert = make_self_signed(failing->get(), "mail.example.com");
  ASSERT_FALSE(cert.ok());
  EXPECT_THAT(cert.message(), HasSubstr("keyd is not answering"));
  EXPECT_EQ(ERR_peek_error(), 0u);  // reported, and the queue left clean
}

TEST(SignerKey, AThrowingCallbackDoesNotEscape) {
  EvpPkeyPtr real(EVP_RSA_gen(2048));
  auto throwing = make_signer_key(real.get(), [](const SignRequest&) -> Result<std::string> {
    throw std::runtime_error("boom");
  });
  ASSERT_OK(throwing);
  auto csr = make_csr(throwing->get(), "mail.example.com", {});
  ASSERT_FALSE(csr.ok());
  EXPECT_THAT(csr.message(), HasSubstr("callback threw: boom"));
}

TEST(SignerKey, RefusesKeysItCannotForward) {
  EvpPkeyPtr ed(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  auto key = make_signer_key(ed.get(), [](const SignRequest&) { return Result<std::string>(""); });
  ASSERT_FALSE(key.ok());
  EXPECT_THAT(key.message(), HasSubstr("unsupported key type"));
  EXPECT_FALSE(make_signer_key(nullptr, nullptr).ok());
}

}  // namespace
}  // namespace appliance::hsm
