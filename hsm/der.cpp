// NAME
//   der.cpp - ECDSA signature and DigestInfo encodings.
//
// DESCRIPTION
//   ECDSA-Sig-Value goes through OpenSSL's own ECDSA_SIG (not deprecated in
//   3.0), so the INTEGER encodings (leading zeros, sign bytes) are OpenSSL's.
//   DigestInfo prefixes are the fixed encodings listed in RFC 8017, 9.2 note 1.
#include "der.h"

#include "ossl.h"

namespace appliance::hsm {

namespace {

// DigestInfo DER up to the digest octets.
constexpr std::string_view kSha256Prefix{
    "\x30\x31\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01\x05\x00\x04\x20", 19};
constexpr std::string_view kSha384Prefix{
    "\x30\x41\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x02\x05\x00\x04\x30", 19};
constexpr std::string_view kSha512Prefix{
    "\x30\x51\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x03\x05\x00\x04\x40", 19};

BignumPtr to_bignum(std::string_view bytes) {
  return BignumPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                             static_cast<int>(bytes.size()), nullptr));
}

}  // namespace

std::size_t hash_size(Hash hash) {
  switch (hash) {
    case Hash::sha256:
      return 32;
    case Hash::sha384:
      return 48;
    case Hash::sha512:
      return 64;
  }
  return 0;
}

Result<Hash> hash_for_size(std::size_t size) {
  for (Hash h : {Hash::sha256, Hash::sha384, Hash::sha512})
    if (hash_size(h) == size) return h;
  return Error{"a digest of " + std::to_string(size) + " bytes is not SHA-256, -384 or -512"};
}

Result<std::string> ecdsa_raw_to_der(std::string_view raw) {
  if (raw.empty() || raw.size() % 2 != 0 || raw.size() > 2 * 66)
    return Error{"ECDSA signature: bad raw length " + std::to_string(raw.size())};
  const std::size_t half = raw.size() / 2;
  EcdsaSigPtr sig(ECDSA_SIG_new());
  BignumPtr r = to_bignum(raw.substr(0, half));
  BignumPtr s = to_bignum(raw.substr(half));
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1)
    return openssl_error("ECDSA signature");
  r.release();  // owned by sig now
  s.release();
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig.get(), &der);
  if (length <= 0) return openssl_error("ECDSA signature: i2d_ECDSA_SIG");
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

Result<std::string> ecdsa_der_to_raw(std::string_view der, std::size_t half) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig || p != reinterpret_cast<const unsigned char*>(der.data() + der.size()))
    return openssl_error("ECDSA signature: bad DER");
  std::string raw(2 * half, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out, static_cast<int>(half)) < 0 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out + half, static_cast<int>(half)) < 0)
    return Error{"ECDSA signature: r or s longer than " + std::to_string(half) + " bytes"};
  return raw;
}

Result<std::string> digest_info(Hash hash, std::string_view digest) {
  if (digest.size() != hash_size(hash))
    return Error{"DigestInfo: digest is " + std::to_string(digest.size()) + " bytes, expected " +
                 std::to_string(hash_size(hash))};
  std::string_view prefix = hash == Hash::sha256   ? kSha256Prefix
                            : hash == Hash::sha384 ? kSha384Prefix
                                                   : kSha512Prefix;
  return std::string(prefix) + std::string(digest);
}

}  // namespace appliance::hsm
