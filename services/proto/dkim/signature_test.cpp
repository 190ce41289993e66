// NAME
//   signature_test.cpp - DKIM-Signature parsing, and signing then checking
//   with keys made here.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "proto/dkim/sign.h"
#include "proto/dkim/signature.h"
#include "proto/dkim/verify.h"

namespace appliance::dkim {
namespace {

constexpr std::string_view kGood =
    "v=1; a=rsa-sha256; d=example.net; s=brisbane; c=relaxed/simple; q=dns/txt;"
    " i=joe@mail.example.net; t=1117574938; x=1118006938; l=200;"
    " h=from:to:subject:date; bh=MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI=;"
    " b=dzdVyOfAKCdLXdJOc9G2q8LoXSlEniSbav+yuU4zGeeruD00lszZVoG4ZHRNiYzR";

TEST(Signature, Parsed) {
  auto s = parse_signature(kGood);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(s->algorithm, Algorithm::rsa_sha256);
  EXPECT_EQ(s->domain, "example.net");
  EXPECT_EQ(s->selector, "brisbane");
  EXPECT_EQ(s->header_canon, Canon::relaxed);
  EXPECT_EQ(s->body_canon, Canon::simple);
  EXPECT_EQ(s->identity, "joe@mail.example.net");
  EXPECT_EQ(*s->timestamp, 1117574938u);
  EXPECT_EQ(*s->expires, 1118006938u);
  EXPECT_EQ(*s->length, 200u);
  EXPECT_EQ(s->headers, (std::vector<std::string>{"from", "to", "subject", "date"}));
  EXPECT_EQ(s->body_hash, "12345678901234567890123456789012");
}

std::string with(std::string_view tag, std::string_view value) {
  std::string s(kGood);
  auto at = s.find(std::string(" ") + std::string(tag) + "=");
  auto end = s.find(';', at);
  s.replace(at + 2 + tag.size(), (end == std::string::npos ? s.size() : end) - at - 2 - tag.size(),
            value);
  return s;
}

std::string refusal(const std::string& value) {
  auto s = parse_signature(value);
  return s ? std::string("accepted") : s.message();
}

TEST(Signature, Refusals) {
  EXPECT_EQ(refusal("v=1; a=rsa-sha256"), "tag b is missing");
  EXPECT_EQ(refusal("v=2; " + std::string(kGood.substr(5))), "tag v: version is not 1");
  EXPECT_EQ(refusal(with("a", "rsa-sha1")), "tag a: rsa-sha1 is not accepted (RFC 8301)");
  EXPECT_EQ(refusal(with("a", "rsa-md5")), "tag a: unknown algorithm \"rsa-md5\"");
  EXPECT_EQ(refusal(with("c", "relaxed/loose")), "tag c: unknown canonicalization \"loose\"");
  EXPECT_EQ(refusal(with("q", "http")), "tag q: no dns/txt query method");
  EXPECT_EQ(refusal(with("i", "joe@example.org")), "tag i: not within the domain of d");
  EXPECT_EQ(refusal(with("i", "joe@badexample.net")), "tag i: not within the domain of d");
  EXPECT_EQ(refusal(with("h", "to:subject")), "tag h: From is not signed");
  EXPECT_EQ(refusal(with("h", "from::to")), "tag h: bad header field name");
  EXPECT_EQ(refusal(with("x", "1000")), "tag x: expires before the signature's time");
  EXPECT_EQ(refusal(with("l", "-1")), "tag l: not a number");
  EXPECT_EQ(refusal(with("bh", "!!")), "tag bh: not base64");
  EXPECT_EQ(refusal(with("d", "exa mple")), "tag d: not a domain");
  EXPECT_EQ(refusal(std::string(kGood) + "; d=other.net"), "duplicate tag d");
}

TEST(Signature, UnknownTagsIgnored) { EXPECT_EQ(refusal(std::string(kGood) + "; zz=what"), "accepted"); }

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Pkey make_key(int type) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(type, nullptr);
  EVP_PKEY* key = nullptr;
  EVP_PKEY_keygen_init(ctx);
  if (type == EVP_PKEY_RSA) EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 2048);
  EVP_PKEY_keygen(ctx, &key);
  EVP_PKEY_CTX_free(ctx);
  return Pkey(key);
}

// What keyd does: rsa_pkcs1 over a DigestInfo, Ed25519 over the message.
std::string sign_as_keyd(EVP_PKEY* key, std::string_view input) {
  std::string sig(1024, '\0');
  std::size_t n = sig.size();
  auto* in = reinterpret_cast<const unsigned char*>(input.data());
  auto* out = reinterpret_cast<unsigned char*>(sig.data());
  if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA) {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
    EVP_PKEY_sign_init(ctx);
    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING);
    EVP_PKEY_sign(ctx, out, &n, in, input.size());
    EVP_PKEY_CTX_free(ctx);
  } else {
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    EVP_DigestSignInit(md, nullptr, nullptr, nullptr, key);
    EVP_DigestSign(md, out, &n, in, input.size());
    EVP_MD_CTX_free(md);
  }
  sig.resize(n);
  return sig;
}

KeyRecord record_of(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key, &der);
  std::string spki(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
  OPENSSL_free(der);
  auto rk = public_key_for_record(spki);
  EXPECT_TRUE(rk) << rk.message();
  auto record = parse_key_record(compose_key_record(rk->type, rk->public_key));
  EXPECT_TRUE(record) << record.message();
  return *record;
}

constexpr std::string_view kMessage =
    "Received: from x by y; Mon, 23 Nov 2026 01:35:37 +0000\r\n"
    "From: Alice <alice@example.test>\r\n"
    "To: bob@example.test\r\n"
    "Subject: a test\r\n"
    "  folded\r\n"
    "Date: Mon, 23 Nov 2026 01:35:37 +0000\r\n"
    "\r\n"
    "Hello  there \r\n"
    "\r\n";

Result<void> check_first(std::string_view message, const KeyRecord& record) {
  auto end = message.find("\r\n\r\n");
  std::string header(message.substr(0, end + 2));
  auto fields = split_fields(header);
  auto sigs = signature_fields(fields);
  if (sigs.empty()) return make_error("no signature");
  auto s = parse_signature(field_value(sigs.front()));
  if (!s) return s.error();
  return check_signature(fields, sigs.front(), *s, body_hash(*s, message.substr(end + 4)), record);
}

TEST(Signature, SignedThenChecked) {
  for (int type : {EVP_PKEY_RSA, EVP_PKEY_ED25519}) {
    Pkey key = make_key(type);
    Algorithm a = type == EVP_PKEY_RSA ? Algorithm::rsa_sha256 : Algorithm::ed25519_sha256;
    MessageHasher hasher;
    for (char c : kMessage) hasher.write(std::string_view(&c, 1));
    ASSERT_TRUE(hasher.finish());
    Prepared p = prepare_signature(hasher, a, "example.test", "s1", 1763861737);
    std::string field = add_signature_value(p.field, sign_as_keyd(key.get(), p.input));
    auto parsed = parse_signature(field_value(field));
    ASSERT_TRUE(parsed) << parsed.message();
    EXPECT_EQ(parsed->headers,
              (std::vector<std::string>{"from", "from", "subject", "date", "to"}));
    std::string signed_message = field + std::string(kMessage);
    KeyRecord record = record_of(key.get());
    auto ok = check_first(signed_message, record);
    EXPECT_TRUE(ok) << ok.message();
    // A From added above the signed one breaks the signature.
    std::string added = field + "From: mallory@example.test\r\n" + std::string(kMessage);
    EXPECT_FALSE(check_first(added, record));
    std::string tampered = signed_message;
    tampered.replace(tampered.find("Hello"), 5, "Howdy");
    auto bad = check_first(tampered, record);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.message(), "body hash did not verify");
  }
}

TEST(Signature, FoldedLinesStayShort) {
  SignatureFields f;
  f.domain = "example.test";
  f.selector = "s20261123";
  f.headers = {"from", "from", "to", "cc", "subject", "date", "message-id", "mime-version",
               "content-type", "content-transfer-encoding", "reply-to", "in-reply-to", "references"};
  f.body_hash = std::string(32, 'x');
  std::string field = add_signature_value(compose_signature(f), std::string(256, 's'));
  std::size_t start = 0;
  while (start < field.size()) {
    auto end = field.find("\r\n", start);
    EXPECT_LE(end - start, 78u);
    start = end + 2;
  }
  auto parsed = parse_signature(field_value(field));
  ASSERT_TRUE(parsed) << parsed.message();
  EXPECT_EQ(parsed->headers, f.headers);
  EXPECT_EQ(parsed->signature, std::string(256, 's'));
}

TEST(Signature, NoFromNoSignature) {
  MessageHasher hasher;
  hasher.write("To: x\r\n\r\nbody\r\n");
  EXPECT_FALSE(hasher.finish());
  MessageHasher small(10);
  small.write("From: someone with a long name\r\n\r\n");
  EXPECT_FALSE(small.finish());
}

}  // namespace
}  // namespace appliance::dkim
