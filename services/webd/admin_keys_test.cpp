// NAME
//   admin_keys_test.cpp - the checks of an uploaded certificate chain, with
//   keys and certificates made here by OpenSSL.
#include "webd/admin_keys.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

namespace appliance::webd {
namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

Key new_key() { return Key(EVP_EC_gen("P-256"), EVP_PKEY_free); }

std::string spki(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key, &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
  OPENSSL_free(der);
  return out;
}

// A certificate for `subject_key`, named `cn`, issued by `issuer` (CN
// `issuer_cn`) and signed with `issuer_key`; valid for 90 days.
std::string certificate(EVP_PKEY* subject_key, const char* cn, EVP_PKEY* issuer_key,
                        const char* issuer_cn) {
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
  X509_gmtime_adj(X509_getm_notBefore(x), 0);
  X509_gmtime_adj(X509_getm_notAfter(x), 90L * 24 * 3600);
  X509_set_pubkey(x, subject_key);
  auto name = [](const char* text) {
    X509_NAME* n = X509_NAME_new();
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(text), -1, -1, 0);
    return n;
  };
  X509_NAME* s = name(cn);
  X509_NAME* i = name(issuer_cn);
  X509_set_subject_name(x, s);
  X509_set_issuer_name(x, i);
  X509_NAME_free(s);
  X509_NAME_free(i);
  X509_sign(x, issuer_key, EVP_sha256());
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, x);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  X509_free(x);
  return pem;
}

TEST(AdminKeys, AChainWhoseLeafIsTheKeysIsTaken) {
  Key ca = new_key(), key = new_key();
  std::string leaf = certificate(key.get(), "mail.example.test", ca.get(), "Test CA");
  std::string root = certificate(ca.get(), "Test CA", ca.get(), "Test CA");
  EXPECT_TRUE(check_chain(leaf, spki(key.get())).ok());
  auto both = check_chain(leaf + root, spki(key.get()));
  EXPECT_TRUE(both.ok()) << both.message();
  auto summary = summarize_chain(leaf + root);
  ASSERT_TRUE(summary.ok()) << summary.message();
  EXPECT_EQ(summary->subject, "CN=mail.example.test");
  EXPECT_EQ(summary->issuer, "CN=Test CA");
  EXPECT_EQ(summary->not_after.size(), 20u);  // 2026-11-23T12:00:00Z
  EXPECT_EQ(summary->not_after.back(), 'Z');
}

TEST(AdminKeys, WrongChainsAreRefusedWithAReason) {
  Key ca = new_key(), key = new_key(), other = new_key();
  std::string leaf = certificate(key.get(), "mail.example.test", ca.get(), "Test CA");
  std::string root = certificate(ca.get(), "Test CA", ca.get(), "Test CA");
  EXPECT_EQ(check_chain(leaf, spki(other.get())).message(),
            "the first certificate is not for this key (its public key differs)");
  EXPECT_EQ(check_chain(root + leaf, spki(key.get())).message(),
            "the first certificate is not for this key (its public key differs)");
  std::string stranger = certificate(other.get(), "Other CA", other.get(), "Other CA");
  EXPECT_NE(check_chain(leaf + stranger, spki(key.get())).message().find("did not issue"),
            std::string::npos);
  EXPECT_EQ(check_chain("hello", spki(key.get())).message(),
            "no PEM certificate (-----BEGIN CERTIFICATE-----) found");
  std::string broken = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  EXPECT_EQ(check_chain(leaf + broken, spki(key.get())).message(),
            "the PEM holds something that is not a readable certificate");
  EXPECT_FALSE(check_chain(leaf, "not DER").ok());
}

}  // namespace
}  // namespace appliance::webd
