// NAME
//   ops_test.cpp - every token operation, checked against OpenSSL with the
//   exported public key; sealing against tampering; key wrap.
//
// DESCRIPTION
//   Signatures are verified with OpenSSL and the public key exported from the
//   token; sealing is checked against tampering with every part of its
//   output and against the wrong associated data.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include <map>

#include "hsm/attributes.h"
#include "hsm/keys.h"
#include "hsm/ops.h"
#include "hsm/pubkey.h"
#include "hsm/test_token.h"

namespace appliance::hsm {
namespace {

using ::testing::HasSubstr;
using testing::random_bytes;
using testing::sha256;
using testing::TestToken;
using testing::TokenTest;

class OpsTest : public TokenTest {
 protected:
  static void SetUpTestSuite() {
    auto session = TestToken::get().session();
    ASSERT_OK(session);
    const std::pair<const char*, Algorithm> wanted[] = {
        {"tls/ops.example.com/v1", Algorithm::ec_p256},
        {"tls/ops-rsa.example.com/v1", Algorithm::rsa_2048},
        {"dkim/ops.example.com/ed1", Algorithm::ed25519},
        {"secret/ops-pepper/v1", Algorithm::hmac_sha256},
        {"seal/ops/v1", Algorithm::aes_256},
        {"wrap/ops/v1", Algorithm::aes_256},
    };
    for (const auto& [name, algorithm] : wanted) {
      auto key = generate_key(*session, name, algorithm);
      ASSERT_OK(key);
      // Looked up by algorithm, except the two AES keys, by name.
      const std::string id(algorithm == Algorithm::aes_256 ? std::string_view(name)
                                                           : algorithm_name(algorithm));
      keys()[id] = *key;
    }
  }
  static std::map<std::string, Key>& keys() {
    static std::map<std::string, Key> made;
    return made;
  }
  static const Key& key(const std::string& which) { return keys().at(which); }

  EvpPkeyPtr public_of(const Key& k) {
    auto pub = public_key(session(), k);
    EXPECT_TRUE(pub.ok()) << pub.message();
    return pub.ok() ? std::move(*pub) : EvpPkeyPtr();
  }

  // EVP_PKEY_verify over a digest, with the padding the test asks for.
  bool verify_digest(EVP_PKEY* pub, std::string_view sig, std::string_view digest,
                     int padding = 0) {
    EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new(pub, nullptr));
    if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1) return false;
    if (padding != 0) {
      if (EVP_PKEY_CTX_set_rsa_padding(ctx.get(), padding) != 1 ||
          EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) != 1)
        return false;
      if (padding == RSA_PKCS1_PSS_PADDING &&
          EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx.get(), RSA_PSS_SALTLEN_DIGEST) != 1)
        return false;
    }
    return EVP_PKEY_verify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()),
                           sig.size(), reinterpret_cast<const unsigned char*>(digest.data()),
                           digest.size()) == 1;
  }
};

TEST_F(OpsTest, EcdsaSignatureIsDerAndVerifies) {
  const std::string digest = sha256("mail from the appliance");
  auto sig = ecdsa_sign_digest(session(), key("ec-p256").handle, digest);
  ASSERT_OK(sig);
  EXPECT_EQ(static_cast<unsigned char>((*sig)[0]), 0x30);  // DER SEQUENCE
  auto pub = public_of(key("ec-p256"));
  EXPECT_TRUE(verify_digest(pub.get(), *sig, digest));
  EXPECT_FALSE(verify_digest(pub.get(), *sig, sha256("something else")));
}

TEST_F(OpsTest, RsaPkcs1OverADigestVerifies) {
  const std::string digest = sha256("pkcs1");
  auto sig = rsa_pkcs1_sign_digest(session(), key("rsa-2048").handle, Hash::sha256, digest);
  ASSERT_OK(sig);
  EXPECT_EQ(sig->size(), 256u);
  auto pub = public_of(key("rsa-2048"));
  EXPECT_TRUE(verify_digest(pub.get(), *sig, digest, RSA_PKCS1_PADDING));
  auto wrong = rsa_pkcs1_sign_digest(session(), key("rsa-2048").handle, Hash::sha384, digest);
  ASSERT_FALSE(wrong.ok());
  EXPECT_THAT(wrong.message(), HasSubstr("digest is 32 bytes, expected 48"));
}

TEST_F(OpsTest, RsaPssOverADigestVerifies) {
  const std::string digest = sha256("pss");
  auto sig = rsa_pss_sign_digest(session(), key("rsa-2048").handle, Hash::sha256, digest);
  ASSERT_OK(sig);
  auto pub = public_of(key("rsa-2048"));
  EXPECT_TRUE(verify_digest(pub.get(), *sig, digest, RSA_PKCS1_PSS_PADDING));
  auto again = rsa_pss_sign_digest(session(), key("rsa-2048").handle, Hash::sha256, digest);
  EXPECT_NE(*again, *sig);  // PSS is randomised
}

TEST_F(OpsTest, RawRsaIsThePrivateKeyOperation) {
  std::string block = random_bytes(256);
  block[0] = 0;  // below the modulus
  auto out = rsa_raw(session(), key("rsa-2048").handle, block);
  ASSERT_OK(out);
  ASSERT_EQ(out->size(), 256u);
  auto pub = public_of(key("rsa-2048"));
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new(pub.get(), nullptr));
  ASSERT_EQ(EVP_PKEY_verify_recover_init(ctx.get()), 1);
  ASSERT_EQ(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING), 1);
  std::string recovered(256, '\0');
  size_t size = recovered.size();
  ASSERT_EQ(
      EVP_PKEY_verify_recover(ctx.get(), reinterpret_cast<unsigned char*>(recovered.data()), &size,
                              reinterpret_cast<const unsigned char*>(out->data()), out->size()),
      1);
  EXPECT_EQ(recovered.substr(0, size), block);
  // The block is a big-endian number: leading zeros may be left off.
  EXPECT_EQ(*rsa_raw(session(), key("rsa-2048").handle, block.substr(1)), *out);
}

TEST_F(OpsTest, Ed25519SignsTheMessage) {
  const std::string message = "DKIM-Signature: v=1; a=ed25519-sha256; ...";
  auto sig = ed25519_sign(session(), key("ed25519").handle, message);
  ASSERT_OK(sig);
  ASSERT_EQ(sig->size(), 64u);
  auto pub = public_of(key("ed25519"));
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  ASSERT_EQ(EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pub.get()), 1);
  EXPECT_EQ(
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()),
      1);
}

TEST_F(OpsTest, SigningWithTheWrongKindOfKeyIsAPkcs11Error) {
  auto sig = ecdsa_sign_digest(session(), key("rsa-2048").handle, sha256("x"));
  ASSERT_FALSE(sig.ok());
  // SoftHSM notices only at C_Sign; other modules at C_SignInit.
  EXPECT_THAT(sig.message(), ::testing::StartsWith("ECDSA: C_Sign"));
  EXPECT_EQ(ERR_peek_error(), 0u);  // SoftHSM's own OpenSSL errors are not left behind
}

TEST_F(OpsTest, HmacIsDeterministicAndVerifiesInConstantTime) {
  const CK_OBJECT_HANDLE k = key("hmac-sha256").handle;
  auto mac = hmac_sha256(session(), k, "app-password");
  ASSERT_OK(mac);
  EXPECT_EQ(mac->size(), 32u);
  EXPECT_EQ(*hmac_sha256(session(), k, "app-password"), *mac);
  EXPECT_NE(*hmac_sha256(session(), k, "app-passwore"), *mac);
  EXPECT_TRUE(*hmac_sha256_verify(session(), k, "app-password", *mac));
  std::string altered = *mac;
  altered[31] ^= 1;
  EXPECT_FALSE(*hmac_sha256_verify(session(), k, "app-password", altered));
  EXPECT_FALSE(*hmac_sha256_verify(session(), k, "app-password", mac->substr(0, 16)));
  EXPECT_OK(hmac_sha256(session(), k, ""));
}

TEST_F(OpsTest, HotCopyGivesTheSameMacAndStaysSensitive) {
  const CK_OBJECT_HANDLE k = key("hmac-sha256").handle;
  auto hot = hot_copy(session(), k);
  ASSERT_OK(hot);
  auto flags = read_key_flags(session(), *hot);
  ASSERT_OK(flags);
  EXPECT_FALSE(flags->token);
  EXPECT_TRUE(flags->sensitive);
  EXPECT_FALSE(flags->extractable);
  EXPECT_FALSE(get_bytes(session(), *hot, CKA_VALUE).ok());
  EXPECT_EQ(*hmac_sha256(session(), *hot, "pepper me"), *hmac_sha256(session(), k, "pepper me"));
  // Hot copies are session objects: they do not appear in the inventory.
  auto found = find_key(session(), "secret/ops-pepper/v1");
  ASSERT_OK(found);
  EXPECT_EQ(found->handle, k);
}

TEST_F(OpsTest, SealRoundTripsWithAssociatedData) {
  const CK_OBJECT_HANDLE k = key("seal/ops/v1").handle;
  const std::string seed = "JBSWY3DPEHPK3PXP-totp-seed";
  auto sealed = seal(session(), k, seed, "account:42");
  ASSERT_OK(sealed);
  EXPECT_EQ(sealed->size(), 12 + seed.size() + 16);
  auto opened = unseal(session(), k, *sealed, "account:42");
  ASSERT_OK(opened);
  EXPECT_EQ(opened->reveal(), seed);
  auto other = seal(session(), k, seed, "account:42");
  EXPECT_NE(other->substr(0, 12), sealed->substr(0, 12));  // a fresh IV each time

  auto empty = seal(session(), k, "", "");
  ASSERT_OK(empty);
  auto empty_opened = unseal(session(), k, *empty, "");
  ASSERT_OK(empty_opened);
  EXPECT_TRUE(empty_opened->empty());
}

TEST_F(OpsTest, UnsealRejectsTamperingAndTheWrongAssociatedData) {
  const CK_OBJECT_HANDLE k = key("seal/ops/v1").handle;
  auto sealed = seal(session(), k, "secret seed", "account:42");
  ASSERT_OK(sealed);
  auto wrong_aad = unseal(session(), k, *sealed, "account:43");
  ASSERT_FALSE(wrong_aad.ok());
  EXPECT_THAT(wrong_aad.message(), HasSubstr("unseal: authentication failed"));
  for (std::size_t at : {std::size_t{0}, std::size_t{11}, std::size_t{12}, sealed->size() - 1}) {
    std::string tampered = *sealed;
    tampered[at] ^= 0x20;
    auto result = unseal(session(), k, tampered, "account:42");
    ASSERT_FALSE(result.ok()) << "byte " << at;
    EXPECT_THAT(result.message(), HasSubstr("unseal: authentication failed")) << "byte " << at;
  }
  EXPECT_FALSE(unseal(session(), k, sealed->substr(0, sealed->size() - 1), "account:42").ok());
  auto short_input = unseal(session(), k, "tiny", "");
  ASSERT_FALSE(short_input.ok());
  EXPECT_EQ(short_input.message(), "unseal: too short to be sealed data");
}

TEST_F(OpsTest, DataKeyWrapsAndUnwrapsIntoAUsableNonExtractableKey) {
  const Key& wrap = key("wrap/ops/v1");
  auto data = generate_data_key(session(), wrap);
  ASSERT_OK(data);
  auto sealed = seal(session(), data->handle, "mail body", "blob:1");
  ASSERT_OK(sealed);

  auto wrapped = wrap_key(session(), wrap.handle, data->handle);
  ASSERT_OK(wrapped);
  EXPECT_EQ(wrapped->mechanism, CKM_AES_KEY_WRAP_PAD);  // SoftHSM has RFC 5649
  EXPECT_EQ(wrapped->bytes.size(), 40u);

  auto restored = unwrap_key(session(), wrap.handle, *wrapped);
  ASSERT_OK(restored);
  auto opened = unseal(session(), *restored, *sealed, "blob:1");
  ASSERT_OK(opened);
  EXPECT_EQ(opened->reveal(), "mail body");

  auto flags = read_key_flags(session(), *restored);
  ASSERT_OK(flags);
  EXPECT_FALSE(flags->extractable);
  EXPECT_TRUE(flags->sensitive);
  auto rewrap = wrap_key(session(), wrap.handle, *restored);
  ASSERT_FALSE(rewrap.ok());
  EXPECT_EQ(rewrap.message(), "wrap: C_WrapKey: CKR_KEY_UNEXTRACTABLE");

  WrappedKey damaged = *wrapped;
  damaged.bytes[5] ^= 1;
  EXPECT_FALSE(unwrap_key(session(), wrap.handle, damaged).ok());
}

TEST_F(OpsTest, TokenKeysCannotBeWrapped) {
  auto wrapped = wrap_key(session(), key("wrap/ops/v1").handle, key("seal/ops/v1").handle);
  ASSERT_FALSE(wrapped.ok());
  EXPECT_EQ(wrapped.message(), "wrap: C_WrapKey: CKR_KEY_UNEXTRACTABLE");
}

}  // namespace
}  // namespace appliance::hsm
