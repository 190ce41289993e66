#include "store/crypto.h"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/kdf.h>

#include <string>

namespace appliance::store::crypto {
namespace {

std::string unhex(std::string_view h) {
  std::string out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return out;
}

// OpenSSL's own HKDF, which the store's replaced: keys derived before must
// still come out the same.
std::string openssl_hkdf(std::string_view key, std::string_view salt, std::string_view info) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_octet_string(
                             OSSL_KDF_PARAM_KEY, const_cast<char*>(key.data()), key.size()),
                         OSSL_PARAM_construct_octet_string(
                             OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()), salt.size()),
                         OSSL_PARAM_construct_octet_string(
                             OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()), info.size()),
                         OSSL_PARAM_construct_end()};
  std::string out(32, '\0');
  EXPECT_EQ(EVP_KDF_derive(ctx, reinterpret_cast<unsigned char*>(out.data()), 32, params), 1);
  EVP_KDF_CTX_free(ctx);
  EVP_KDF_free(kdf);
  return out;
}

// RFC 5869 appendix A, test cases 1 and 3: the first 32 octets of the OKM.
TEST(CryptoTest, HkdfGivesTheRfcVectors) {
  auto one = hkdf(Secret(unhex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b")),
                  unhex("000102030405060708090a0b0c"), unhex("f0f1f2f3f4f5f6f7f8f9"));
  ASSERT_TRUE(one.ok()) << one.message();
  EXPECT_EQ(hex(one->reveal()), "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf");
  auto three = hkdf(Secret(unhex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b")), "", "");
  ASSERT_TRUE(three.ok()) << three.message();
  EXPECT_EQ(hex(three->reveal()),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d");
}

TEST(CryptoTest, HkdfAgreesWithOpenSsl) {
  std::string key(32, '\0');
  for (int i = 0; i < 32; ++i) key[static_cast<std::size_t>(i)] = static_cast<char>(i * 7 + 1);
  for (std::string_view salt : {"", "salt",
                                "a salt longer than the sixty-four octets of a "
                                "SHA-256 block, so that HMAC hashes it first"})
    for (std::string_view info : {"", "appliance store blob key v1"})
      EXPECT_EQ(hkdf(Secret(key), salt, info)->reveal(), openssl_hkdf(key, salt, info))
          << "salt '" << salt << "' info '" << info << "'";
}

}  // namespace
}  // namespace appliance::store::crypto
