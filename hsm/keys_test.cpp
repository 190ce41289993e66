// NAME
//   keys_test.cpp - generation, protection attributes, inventory, deletion,
//   data keys.
//
// DESCRIPTION
//   One key of each kind is generated in a fresh SoftHSM token; every one must
//   be private, sensitive, never extractable, and refuse to reveal its value.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/pem.h>

#include <map>

#include "hsm/attributes.h"
#include "hsm/key_template.h"
#include "hsm/keys.h"
#include "hsm/ops.h"
#include "hsm/pubkey.h"
#include "hsm/test_token.h"

namespace appliance::hsm {
namespace {

using ::testing::HasSubstr;
using testing::TestToken;
using testing::TokenTest;

struct KeyCase {
  const char* test_name;
  const char* name;
  Algorithm algorithm;
  int evp_type;  // EVP_PKEY_NONE for secret keys
};

const KeyCase kCases[] = {
    {"EcP256", "tls/mail.example.com/v1", Algorithm::ec_p256, EVP_PKEY_EC},
    {"Rsa2048", "tls/rsa.example.com/v1", Algorithm::rsa_2048, EVP_PKEY_RSA},
    {"Rsa3072", "dkim/example.com/r2026", Algorithm::rsa_3072, EVP_PKEY_RSA},
    {"Ed25519", "dkim/example.com/e2026", Algorithm::ed25519, EVP_PKEY_ED25519},
    {"SealAes256", "seal/totp/v1", Algorithm::aes_256, EVP_PKEY_NONE},
    {"WrapAes256", "wrap/backup/v1", Algorithm::aes_256, EVP_PKEY_NONE},
    {"HmacSha256", "secret/api-pepper/v1", Algorithm::hmac_sha256, EVP_PKEY_NONE},
};

// Every key type is generated once for the whole binary.
class KeysTest : public TokenTest {
 protected:
  static void SetUpTestSuite() {
    if (!keys().empty()) return;  // both suites below share one set
    auto session = TestToken::get().session();
    ASSERT_OK(session);
    for (const auto& c : kCases) {
      auto key = generate_key(*session, c.name, c.algorithm);
      ASSERT_OK(key);
      keys()[c.name] = *key;
    }
  }
  static std::map<std::string, Key>& keys() {
    static std::map<std::string, Key> generated;
    return generated;
  }
};

class EveryKeyType : public KeysTest, public ::testing::WithParamInterface<KeyCase> {};

TEST_P(EveryKeyType, IsSensitiveAndNeverLeavesTheToken) {
  const Key& key = keys().at(GetParam().name);
  auto flags = read_key_flags(session(), key.handle);
  ASSERT_OK(flags);
  EXPECT_TRUE(flags->token);
  EXPECT_TRUE(flags->is_private);
  EXPECT_TRUE(flags->sensitive);
  EXPECT_FALSE(flags->extractable);
  EXPECT_TRUE(flags->always_sensitive);
  EXPECT_TRUE(flags->never_extractable);

  const CK_ATTRIBUTE_TYPE secret_part =
      GetParam().algorithm == Algorithm::rsa_2048 || GetParam().algorithm == Algorithm::rsa_3072
          ? CKA_PRIVATE_EXPONENT
          : CKA_VALUE;
  auto value = get_bytes(session(), key.handle, secret_part);
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.message(), "C_GetAttributeValue: CKR_ATTRIBUTE_SENSITIVE");
}

TEST_P(EveryKeyType, IsFoundByNameWithItsAlgorithmAndDate) {
  auto key = find_key(session(), GetParam().name);
  ASSERT_OK(key);
  EXPECT_EQ(key->name, GetParam().name);
  EXPECT_EQ(key->algorithm, GetParam().algorithm);
  EXPECT_EQ(key->created, format_date(today_utc()));
  EXPECT_EQ(key->handle, keys().at(GetParam().name).handle);
  EXPECT_EQ(key->public_handle == CK_INVALID_HANDLE, GetParam().evp_type == EVP_PKEY_NONE);
}

TEST_P(EveryKeyType, ExportsItsPublicKeyIfItHasOne) {
  const Key& key = keys().at(GetParam().name);
  auto pem = public_key_pem(session(), key);
  if (GetParam().evp_type == EVP_PKEY_NONE) {
    ASSERT_FALSE(pem.ok());
    EXPECT_EQ(pem.message(), "key " + key.name + " has no public key in the token");
    return;
  }
  ASSERT_OK(pem);
  EXPECT_THAT(*pem, HasSubstr("-----BEGIN PUBLIC KEY-----"));
  BioPtr bio = memory_bio(*pem);
  EvpPkeyPtr parsed(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(EVP_PKEY_get_base_id(parsed.get()), GetParam().evp_type);
  const int bits = GetParam().algorithm == Algorithm::rsa_3072   ? 3072
                   : GetParam().algorithm == Algorithm::rsa_2048 ? 2048
                                                                 : 256;
  EXPECT_EQ(EVP_PKEY_get_bits(parsed.get()), bits);
}

INSTANTIATE_TEST_SUITE_P(Keys, EveryKeyType, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.test_name); });

TEST_F(KeysTest, InventoryListsEveryKeySortedByName) {
  auto list = list_keys(session());
  ASSERT_OK(list);
  std::vector<std::string> names;
  for (const auto& key : *list) {
    names.push_back(key.name);
    EXPECT_NE(key.algorithm, Algorithm::unknown) << key.name;
    EXPECT_FALSE(key.created.empty());
  }
  for (const auto& c : kCases) EXPECT_THAT(names, ::testing::Contains(c.name));
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
}

TEST_F(KeysTest, RefusesBadNamesDuplicatesAndMismatchedAlgorithms) {
  auto bad = generate_key(session(), "tls/Upper/v1", Algorithm::ec_p256);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.message(), HasSubstr("segment 2 \"Upper\" has character \"U\""));
  auto duplicate = generate_key(session(), "seal/totp/v1", Algorithm::aes_256);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.message(), "generate seal/totp/v1: a key with this name exists");
  auto mismatch = generate_key(session(), "seal/other/v1", Algorithm::ec_p256);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.message(),
            "generate seal/other/v1: algorithm ec-p256 is not allowed for purpose seal");
}

TEST_F(KeysTest, DeletesBothHalvesOfAPair) {
  auto key = generate_key(session(), "update/timestamp/v1", Algorithm::ec_p256);
  ASSERT_OK(key);
  ASSERT_OK(delete_key(session(), "update/timestamp/v1"));
  auto gone = find_key(session(), "update/timestamp/v1");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.message(), "no key named \"update/timestamp/v1\"");
  Template pub;
  pub.bytes(CKA_LABEL, "update/timestamp/v1");
  auto left = find_objects(session(), pub);
  ASSERT_OK(left);
  EXPECT_TRUE(left->empty());
  EXPECT_FALSE(delete_key(session(), "update/timestamp/v1").ok());
}

TEST_F(KeysTest, Ed25519IsOfferedByThisModule) {
  // The "not supported by this module" branch needs a module without
  // CKM_EC_EDWARDS_KEY_PAIR_GEN; SoftHSM 2.6 has it.
  const auto& token = TestToken::get();
  EXPECT_TRUE(*token.module().has_mechanism(token.slot(), CKM_EC_EDWARDS_KEY_PAIR_GEN));
}

TEST_F(KeysTest, DataKeyIsAnExtractableSessionKeyThatOnlyTheWrapKeyMatches) {
  const Key& wrap = keys().at("wrap/backup/v1");
  auto data = generate_data_key(session(), wrap);
  ASSERT_OK(data);
  auto flags = read_key_flags(session(), data->handle);
  ASSERT_OK(flags);
  EXPECT_FALSE(flags->token);
  EXPECT_TRUE(flags->is_private);
  EXPECT_TRUE(flags->sensitive);
  EXPECT_TRUE(flags->extractable);
  // CKA_WRAP_WITH_TRUSTED follows what the module let us make (see keys.h):
  // SoftHSM lets only the SO set CKA_TRUSTED, so there it is false on both.
  EXPECT_EQ(flags->wrap_with_trusted, wrap.trusted);
  EXPECT_EQ(data->wrap_with_trusted, wrap.trusted);
  auto wrap_flags = read_key_flags(session(), wrap.handle);
  ASSERT_OK(wrap_flags);
  EXPECT_EQ(wrap_flags->trusted, wrap.trusted);
  EXPECT_TRUE(wrap_flags->is_private);

  auto refused = generate_data_key(session(), keys().at("seal/totp/v1"));
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.message(), HasSubstr("wrapped by wrap/ keys"));
}

TEST_F(KeysTest, TrustedFlagNeedsTheSecurityOfficer) {
  // What keys.h documents: a user session may not set CKA_TRUSTED on SoftHSM.
  auto key = find_key(session(), "wrap/backup/v1");
  ASSERT_OK(key);
  CK_BBOOL yes = CK_TRUE;
  CK_ATTRIBUTE trusted{CKA_TRUSTED, &yes, sizeof yes};
  const CK_RV rv =
      session().fn()->C_SetAttributeValue(session().handle(), key->handle, &trusted, 1);
  if (key->trusted) GTEST_SKIP() << "this module made the wrap key trusted";
  EXPECT_NE(rv, CKR_OK);
}

}  // namespace
}  // namespace appliance::hsm
