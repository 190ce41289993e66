// NAME
//   rfc8463_test.cpp - the worked example of RFC 8463 appendix A: both
//   signatures verify, and the Ed25519 one is reproduced byte for byte from
//   the published secret key.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "proto/common/sasl.h"
#include "proto/dkim/crypto.h"
#include "proto/dkim/header.h"
#include "proto/dkim/testing/rfc8463.h"
#include "proto/dkim/verify.h"

namespace appliance::dkim {
namespace {

using namespace testing;
constexpr std::string_view kSigned = kRfc8463Signed;
constexpr std::string_view kEd25519Record = kRfc8463Ed25519Record;
constexpr std::string_view kRsaRecord = kRfc8463RsaRecord;
constexpr std::string_view kEd25519Secret = kRfc8463Ed25519Secret;

struct Parts {
  std::string header;
  std::string_view body;
  std::vector<std::string_view> fields;
};

Parts split(std::string_view message) {
  Parts p;
  auto end = message.find("\r\n\r\n");
  p.header = message.substr(0, end + 2);
  p.body = message.substr(end + 4);
  p.fields = split_fields(p.header);
  return p;
}

TEST(Rfc8463, BothSignaturesVerify) {
  Parts p = split(kSigned);
  auto sigs = signature_fields(p.fields);
  ASSERT_EQ(sigs.size(), 2u);
  for (std::string_view field : sigs) {
    auto s = parse_signature(field_value(field));
    ASSERT_TRUE(s) << s.message();
    auto record = parse_key_record(s->algorithm == Algorithm::ed25519_sha256 ? kEd25519Record
                                                                             : kRsaRecord);
    ASSERT_TRUE(record) << record.message();
    std::string bh = body_hash(*s, p.body);
    EXPECT_EQ(sasl::base64_encode(bh), "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=");
    auto ok = check_signature(p.fields, field, *s, bh, *record);
    EXPECT_TRUE(ok) << algorithm_name(s->algorithm) << ": " << ok.message();
  }
}

TEST(Rfc8463, Ed25519SignatureReproduced) {
  Parts p = split(kSigned);
  std::string_view field = signature_fields(p.fields).front();
  auto s = parse_signature(field_value(field));
  ASSERT_TRUE(s);
  std::string input = signing_input(
      Algorithm::ed25519_sha256, header_hash_input(Canon::relaxed, p.fields, s->headers, field));
  auto secret = sasl::base64_decode(kEd25519Secret);
  ASSERT_TRUE(secret);
  EVP_PKEY* key = EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(secret->data()), 32);
  ASSERT_NE(key, nullptr);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  unsigned char sig[64];
  std::size_t n = sizeof sig;
  ASSERT_EQ(EVP_DigestSignInit(md, nullptr, nullptr, nullptr, key), 1);
  ASSERT_EQ(EVP_DigestSign(md, sig, &n, reinterpret_cast<const unsigned char*>(input.data()),
                           input.size()),
            1);
  EVP_MD_CTX_free(md);
  EVP_PKEY_free(key);
  EXPECT_EQ(sasl::base64_encode(std::string_view(reinterpret_cast<char*>(sig), n)),
            "/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11BusFa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==");
}

TEST(Rfc8463, ChangedHeaderFails) {
  std::string message(kSigned);
  message.replace(message.find("Is dinner ready?"), 3, "Was");
  Parts p = split(message);
  for (std::string_view field : signature_fields(p.fields)) {
    auto s = parse_signature(field_value(field));
    auto record = parse_key_record(s->algorithm == Algorithm::ed25519_sha256 ? kEd25519Record
                                                                             : kRsaRecord);
    auto ok = check_signature(p.fields, field, *s, body_hash(*s, p.body), *record);
    ASSERT_FALSE(ok);
    EXPECT_EQ(ok.message(), "the signature does not verify");
  }
}

}  // namespace
}  // namespace appliance::dkim
