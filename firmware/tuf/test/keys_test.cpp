// NAME
//   keys_test.cpp - each signature scheme, against vectors made by other
//   implementations (python-tuf's test data, python cryptography) and
//   against keys generated here; key ids; threshold counting.
#include "tuf/keys.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "tuf/canonical_json.h"
#include "tuf/digest.h"
#include "tuf/metadata.h"
#include "tuf/signatures.h"
#include "tuf/testing/signer.h"

namespace appliance::tuf {
namespace {

using testing::InMemorySigner;
using testing::KeyKind;

// python-tuf tests/generated_data/ed25519_metadata/root_with_ed25519.json.
constexpr const char* kPythonTufRoot = R"({
 "signatures": [{"keyid": "5822582e7072996c1eef1cec24b61115d364987faa486659fe3d3dce8dae2aba",
   "sig": "e2cfb42fe355843c5284ca0bd58acb742a232c2c7b93a87c34ed086cfe51c41a21f77bb8d4ed0c74f9fb3f76f48f7005488347450c28468d8bb288e5988ae201"}],
 "signed": {"_type": "root", "consistent_snapshot": true, "expires": "2050-01-01T00:00:00Z",
  "keys": {
   "09d440e3725cec247dcb8703b646a87dd2a4d75343e8095c036c32795eefe3b9": {"keytype": "ed25519",
     "keyval": {"public": "250f9ae3d1d3d5c419a73cfb4a470c01de1d5d3d61a3825416b5f5d6b88f4a30"}, "scheme": "ed25519"},
   "2be5c21e3614f9f178fb49c4a34d0c18ffac30abd14ced917c60a52c8d8094b7": {"keytype": "ed25519",
     "keyval": {"public": "0e6738fc1ac6fb4de680b4be99ecbcd99b030f3963f291277eef67bb9bd123e9"}, "scheme": "ed25519"},
   "3458204ed467519c19a5316eb278b5608472a1bbf15850ebfb462d5315e4f86d": {"keytype": "ed25519",
     "keyval": {"public": "82380623abb9666d4bf274b1a02577469445a972e5650d270101faa5107b19c8"}, "scheme": "ed25519"},
   "5822582e7072996c1eef1cec24b61115d364987faa486659fe3d3dce8dae2aba": {"keytype": "ed25519",
     "keyval": {"public": "b11d2ff132c033a657318c74c39526476c56de7556c776f11070842dbc4ac14c"}, "scheme": "ed25519"}},
  "roles": {
   "root": {"keyids": ["5822582e7072996c1eef1cec24b61115d364987faa486659fe3d3dce8dae2aba"], "threshold": 1},
   "snapshot": {"keyids": ["3458204ed467519c19a5316eb278b5608472a1bbf15850ebfb462d5315e4f86d"], "threshold": 1},
   "targets": {"keyids": ["2be5c21e3614f9f178fb49c4a34d0c18ffac30abd14ced917c60a52c8d8094b7"], "threshold": 1},
   "timestamp": {"keyids": ["09d440e3725cec247dcb8703b646a87dd2a4d75343e8095c036c32795eefe3b9"], "threshold": 1}},
  "spec_version": "1.0.28", "version": 1}})";

// python-tuf tests/generated_data/ed25519_metadata/timestamp_with_ed25519.json.
constexpr const char* kPythonTufTimestamp = R"({
 "signatures": [{"keyid": "09d440e3725cec247dcb8703b646a87dd2a4d75343e8095c036c32795eefe3b9",
   "sig": "f1b1921a5963485eb5f1cf83f1b44548420bdcced420a367f0c42b63c91950410287f6d062824941085361c3906bb44a365352e2971787a653443ff8df484007"}],
 "signed": {"_type": "timestamp", "expires": "2050-01-01T00:00:00Z",
  "meta": {"snapshot.json": {"version": 1}}, "spec_version": "1.0.31", "version": 1}})";

// Made with python cryptography: the message, then a P-256 key and a DER
// signature, then an RSA-2048 key and a PSS signature (MGF1-SHA256, salt 32).
constexpr const char* kMessage =
    R"({"_type":"targets","expires":"2050-01-01T00:00:00Z","spec_version":"1.0.31","targets":{},"version":7})";
constexpr const char* kEcdsaPem = R"(-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEjwqFxooY1FjubtalmGS1NNBuhf8P
L4/fitPVAkNRNKjtGUmu0IIQDADq7oLbI9ckoDYdnXHR1yNGRuB//UvUsA==
-----END PUBLIC KEY-----
)";
constexpr const char* kEcdsaSig =
    "3045022100aab5c7be2a82c7aecc2380a86a4488e7f35ddf09f0bc9ba758df60b0a7af2e11022000be0e6a02bd"
    "23863e2eb347e78da4222063375575036ce3a487db4c186b9e92";
constexpr const char* kRsaPem = R"(-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0Iq4HZ5GEWQYBWDhBJiw
IVQs2nvyu4ZDeUMEh9dJ7tOXFAb9TrzrNA0qBOmnCLwQyVZXgc5LE8omW74unLRD
j5Sn08uUlis1xR4ashU5fxQLctqpINTDPkx0c2irqkwFp9gyqEwuRhf9T6ZUlFzr
lJ2y7exSe0ReNTyuWYZ+kvik0ixdpzCitwiKCR6mB7H0lvM6wwyd+Rob5d+8NMDs
IdOOHWR8i6rkWlQA9TgGgDTqN+8oHUVxbVB4gw5QdbkNs8eVF9xYbOaEXXW0Mt0c
DZ/WrFNhKc0Pg2KwB0YqMUWWr1QoGU2R9mVwnU5YFFcysF8gAzxn0SQowNm/sqh8
nwIDAQAB
-----END PUBLIC KEY-----
)";
constexpr const char* kRsaSig =
    "b865dd8a5c087361cf4d125431afab6b77b32a60b9186d4eb95c693720e116cec168192b9c5f65dd5c9b9fa6b6"
    "50f8c33cfb288b2e68f1f5c47e7c7f7ea6a83c7feeee25eca3e880f63e03335d2310109a1e874171eafb2b24bb"
    "2fa56922238c2e433f26faab5ca2b8e38eb38a2bb24a0b0388563328a804c71c248a93abd7ba6ce24295a6c8bd"
    "ac5d62362049ed63086c5f45f23d0320f89909911510d32b3871aa8a64353efda8c5d27a60f5f46357fc7f5bef"
    "37b802aa6c3aa43be64f6df285857b2eaee81ff834de1b0981868a30bf845010cb842ce15b3b41a0f05a30c06d"
    "480f019d00a0a87b091f7a57f0c10e52583b292ea55125efe7d536eb34006e";

Key make_key(const char* keytype, const char* scheme, const std::string& pub) {
  nlohmann::json obj = {{"keytype", keytype}, {"scheme", scheme}, {"keyval", {{"public", pub}}}};
  auto key = parse_key(obj);
  EXPECT_TRUE(key.ok());
  return *key;
}

std::unique_ptr<InMemorySigner> gen(KeyKind kind) {
  auto signer = InMemorySigner::generate(kind);
  EXPECT_TRUE(signer.ok());
  return std::move(*signer);
}

std::string flip_last_hex(std::string hex) {
  hex.back() = hex.back() == '0' ? '1' : '0';
  return hex;
}

TEST(Ed25519, VerifiesPythonTufMetadata) {
  for (const char* doc : {kPythonTufRoot, kPythonTufTimestamp}) {
    auto env = parse_envelope(doc);
    ASSERT_TRUE(env.ok()) << env.message();
    auto root = parse_envelope(kPythonTufRoot);
    const auto& keys = root->signed_json["keys"];
    const Signature& sig = env->signatures.at(0);
    auto key = parse_key(keys[sig.keyid]);
    ASSERT_TRUE(key.ok());
    EXPECT_TRUE(verify_signature(*key, env->signed_bytes, sig.sig));
    EXPECT_FALSE(verify_signature(*key, env->signed_bytes + " ", sig.sig));
    EXPECT_FALSE(verify_signature(*key, env->signed_bytes, flip_last_hex(sig.sig)));
  }
}

TEST(Ed25519, RejectsMalformedKeysAndSignatures) {
  Key short_key = make_key("ed25519", "ed25519", "abcd");
  EXPECT_FALSE(verify_signature(short_key, "m", std::string(128, '0')));
  auto env = parse_envelope(kPythonTufTimestamp);
  auto key = make_key("ed25519", "ed25519",
                      "250f9ae3d1d3d5c419a73cfb4a470c01de1d5d3d61a3825416b5f5d6b88f4a30");
  EXPECT_FALSE(verify_signature(key, env->signed_bytes, "zz"));
  EXPECT_FALSE(verify_signature(key, env->signed_bytes, ""));
  EXPECT_FALSE(verify_signature(key, env->signed_bytes, env->signatures[0].sig.substr(2)));
}

TEST(Ecdsa, VerifiesPythonCryptographySignature) {
  for (const char* keytype : {"ecdsa", "ecdsa-sha2-nistp256"}) {
    Key key = make_key(keytype, "ecdsa-sha2-nistp256", kEcdsaPem);
    EXPECT_TRUE(verify_signature(key, kMessage, kEcdsaSig)) << keytype;
    EXPECT_FALSE(verify_signature(key, std::string(kMessage) + "x", kEcdsaSig));
    EXPECT_FALSE(verify_signature(key, kMessage, flip_last_hex(kEcdsaSig)));
  }
  // The same key under another scheme name verifies nothing.
  EXPECT_FALSE(
      verify_signature(make_key("rsa", "rsassa-pss-sha256", kEcdsaPem), kMessage, kEcdsaSig));
  EXPECT_FALSE(
      verify_signature(make_key("ecdsa", "ecdsa-sha2-nistp384", kEcdsaPem), kMessage, kEcdsaSig));
}

TEST(RsaPss, VerifiesPythonCryptographySignature) {
  Key key = make_key("rsa", "rsassa-pss-sha256", kRsaPem);
  EXPECT_TRUE(verify_signature(key, kMessage, kRsaSig));
  EXPECT_FALSE(verify_signature(key, std::string(kMessage) + "x", kRsaSig));
  EXPECT_FALSE(verify_signature(key, kMessage, flip_last_hex(kRsaSig)));
  EXPECT_FALSE(
      verify_signature(make_key("ecdsa", "ecdsa-sha2-nistp256", kRsaPem), kMessage, kRsaSig));
}

// A PEM public key of an OpenSSL-generated key of the given algorithm.
std::string pem_of(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  return pem;
}

std::string sign_raw(EVP_PKEY* key, const EVP_MD* md, bool pss, std::string_view msg) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  EVP_DigestSignInit(ctx, &pctx, md, nullptr, key);
  if (pss) {
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
  }
  std::size_t len = 0;
  const auto* m = reinterpret_cast<const unsigned char*>(msg.data());
  EVP_DigestSign(ctx, nullptr, &len, m, msg.size());
  std::string sig(len, '\0');
  EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, m, msg.size());
  sig.resize(len);
  EVP_MD_CTX_free(ctx);
  return to_hex(sig);
}

TEST(RsaPss, RefusesKeysUnder2048Bits) {
  EVP_PKEY* weak = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(1024));
  ASSERT_NE(weak, nullptr);
  std::string sig = sign_raw(weak, EVP_sha256(), true, kMessage);
  EXPECT_FALSE(verify_signature(make_key("rsa", "rsassa-pss-sha256", pem_of(weak)), kMessage, sig));
  EVP_PKEY_free(weak);
}

TEST(RsaPss, RefusesOtherSaltLengthsAndPkcs1) {
  EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(2048));
  ASSERT_NE(k, nullptr);
  Key key = make_key("rsa", "rsassa-pss-sha256", pem_of(k));
  EXPECT_TRUE(verify_signature(key, kMessage, sign_raw(k, EVP_sha256(), true, kMessage)));
  EXPECT_FALSE(verify_signature(key, kMessage, sign_raw(k, EVP_sha256(), false, kMessage)));
  EVP_PKEY_free(k);
}

TEST(Ecdsa, RefusesOtherCurves) {
  EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
  ASSERT_NE(k, nullptr);
  std::string sig = sign_raw(k, EVP_sha256(), false, kMessage);
  EXPECT_FALSE(
      verify_signature(make_key("ecdsa", "ecdsa-sha2-nistp256", pem_of(k)), kMessage, sig));
  EVP_PKEY_free(k);
}

class GeneratedKeys : public ::testing::TestWithParam<KeyKind> {};

TEST_P(GeneratedKeys, SignAndVerify) {
  auto signer = InMemorySigner::generate(GetParam());
  ASSERT_TRUE(signer.ok()) << signer.message();
  auto key = parse_key((*signer)->public_key());
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(*compute_keyid((*signer)->public_key()), (*signer)->keyid());
  auto sig = (*signer)->sign(kMessage);
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(verify_signature(*key, kMessage, *sig));
  EXPECT_FALSE(verify_signature(*key, "other message", *sig));
  auto other = InMemorySigner::generate(GetParam());
  EXPECT_FALSE(verify_signature(*parse_key((*other)->public_key()), kMessage, *sig));
}

INSTANTIATE_TEST_SUITE_P(AllSchemes, GeneratedKeys,
                         ::testing::Values(KeyKind::ed25519, KeyKind::ecdsa_p256,
                                           KeyKind::rsa_pss_sha256));

TEST(KeyIds, AreTheSha256OfTheCanonicalKey) {
  nlohmann::json legacy = {
      {"keytype", "ed25519"},
      {"scheme", "ed25519"},
      {"keyid_hash_algorithms", {"sha256", "sha512"}},
      {"keyval", {{"public", "b11d2ff132c033a657318c74c39526476c56de7556c776f11070842dbc4ac14c"}}}};
  EXPECT_EQ(*compute_keyid(legacy),
            "5822582e7072996c1eef1cec24b61115d364987faa486659fe3d3dce8dae2aba");
}

TEST(KeyIds, MismatchIsRefused) {
  // python-tuf's published key objects drop the field their ids were computed
  // with, so the ids no longer match: one id could then name another key.
  auto root = parse_root(kPythonTufRoot);
  ASSERT_FALSE(root.ok());
  EXPECT_THAT(root.message(), ::testing::HasSubstr("does not match its key"));
}

TEST(Keys, ParseRefusesPrivateMaterialAndBadShapes) {
  nlohmann::json with_private = {{"keytype", "ed25519"},
                                 {"scheme", "ed25519"},
                                 {"keyval", {{"public", "00"}, {"private", "11"}}}};
  EXPECT_FALSE(parse_key(with_private).ok());
  EXPECT_FALSE(parse_key(nlohmann::json::array()).ok());
  EXPECT_FALSE(parse_key({{"keytype", "ed25519"}, {"scheme", "ed25519"}}).ok());
  EXPECT_FALSE(
      parse_key({{"keytype", 1}, {"scheme", "ed25519"}, {"keyval", {{"public", "00"}}}}).ok());
}

TEST(Keys, UnknownTypesParseButNeverVerify) {
  Key key = make_key("sphincs", "sphincs-shake-128s", "00");
  EXPECT_FALSE(verify_signature(key, kMessage, "00"));
}

// --- threshold counting -------------------------------------------------

struct Signed {
  Envelope env;
  std::map<std::string, Key> keys;
  RoleKeys role;
};

Signed sign_with(const std::vector<const testing::Signer*>& signers,
                 const std::vector<const testing::Signer*>& trusted, std::uint64_t threshold) {
  nlohmann::json body = {{"hello", "world"}};
  auto bytes = testing::sign_metadata(body, signers);
  Signed s{*parse_envelope(*bytes), {}, {}};
  for (const auto* t : trusted) {
    s.keys.emplace(t->keyid(), *parse_key(t->public_key()));
    s.role.keyids.push_back(t->keyid());
  }
  s.role.threshold = threshold;
  return s;
}

TEST(Threshold, CountsDistinctValidKeysOfTheRole) {
  auto a = gen(KeyKind::ed25519);
  auto b = gen(KeyKind::ecdsa_p256);
  auto c = gen(KeyKind::ed25519);
  Signed both = sign_with({a.get(), b.get()}, {a.get(), b.get()}, 2);
  EXPECT_TRUE(verify_threshold(both.env, both.keys, both.role, "root").ok());

  Signed one = sign_with({a.get(), c.get()}, {a.get(), b.get()}, 2);
  auto r = verify_threshold(one.env, one.keys, one.role, "root");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(
      r.message(),
      "arbitrary software attack: threshold not met: root has 1 valid signature of 2 required");

  Signed none = sign_with({c.get()}, {a.get()}, 1);
  EXPECT_THAT(verify_threshold(none.env, none.keys, none.role, "timestamp").message(),
              ::testing::HasSubstr("timestamp has 0 valid signatures of 1 required"));
}

TEST(Threshold, DuplicateSignaturesAreRefused) {
  auto a = gen(KeyKind::ed25519);
  auto bytes = testing::sign_metadata({{"x", 1}}, {a.get(), a.get()});
  auto env = parse_envelope(*bytes);
  ASSERT_FALSE(env.ok());
  EXPECT_THAT(env.message(), ::testing::HasSubstr("repeats keyid"));
}

TEST(Threshold, OneKeyUnderTwoIdsCountsOnce) {
  auto a = gen(KeyKind::ed25519);
  nlohmann::json twin = a->public_key();
  twin["x-note"] = "same key, other id";
  std::string twin_id = *compute_keyid(twin);
  Signed s = sign_with({a.get()}, {a.get()}, 2);
  s.keys.emplace(twin_id, *parse_key(twin));
  s.role.keyids.push_back(twin_id);
  s.env.signatures.push_back({twin_id, s.env.signatures[0].sig});
  EXPECT_EQ(count_valid_signatures(s.env, s.keys, s.role), 1u);
}

TEST(Threshold, SignaturesOfKeysOutsideTheRoleDoNotCount) {
  auto a = gen(KeyKind::ed25519);
  auto b = gen(KeyKind::ed25519);
  Signed s = sign_with({a.get(), b.get()}, {a.get()}, 1);
  s.keys.emplace(b->keyid(), *parse_key(b->public_key()));  // known, but not the role's
  EXPECT_EQ(count_valid_signatures(s.env, s.keys, s.role), 1u);
}

}  // namespace
}  // namespace appliance::tuf
