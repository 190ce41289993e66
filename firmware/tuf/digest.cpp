// NAME
//   digest.cpp - hex and hashing over OpenSSL's EVP interface.
#include "tuf/digest.h"

#include <openssl/evp.h>

namespace appliance::tuf {
namespace {

const EVP_MD* md_for(std::string_view algorithm) {
  if (algorithm == "sha256") return EVP_sha256();
  if (algorithm == "sha512") return EVP_sha512();
  return nullptr;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

struct HashCheck::Digest {
  std::string name;
  std::string expected;
  EVP_MD_CTX* ctx = nullptr;
  ~Digest() { EVP_MD_CTX_free(ctx); }
};

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = hex_value(hex[i]);
    int lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

std::string digest_hex(std::string_view algorithm, std::string_view data) {
  const EVP_MD* type = md_for(algorithm);
  if (type == nullptr) return {};
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, type, nullptr) != 1) return {};
  return to_hex(std::string_view(reinterpret_cast<const char*>(md), len));
}

std::string sha256_hex(std::string_view data) {
  return digest_hex("sha256", data);
}

bool is_supported_hash(std::string_view algorithm) {
  return md_for(algorithm) != nullptr;
}

HashCheck::HashCheck(HashCheck&&) noexcept = default;
HashCheck& HashCheck::operator=(HashCheck&&) noexcept = default;
HashCheck::~HashCheck() = default;

Result<HashCheck> HashCheck::create(const Hashes& expected) {
  if (expected.empty()) return Error{"no hashes listed"};
  HashCheck check;
  for (const auto& [name, hex] : expected) {
    const EVP_MD* md = md_for(name);
    if (md == nullptr) return Error{"unsupported hash algorithm \"" + name + "\""};
    auto d = std::make_unique<Digest>();
    d->name = name;
    d->expected = hex;
    d->ctx = EVP_MD_CTX_new();
    if (d->ctx == nullptr || EVP_DigestInit_ex(d->ctx, md, nullptr) != 1) {
      return Error{"cannot initialise " + name};
    }
    check.digests_.push_back(std::move(d));
  }
  return check;
}

void HashCheck::update(std::string_view chunk) {
  for (auto& d : digests_) EVP_DigestUpdate(d->ctx, chunk.data(), chunk.size());
}

Result<void> HashCheck::finish() {
  for (auto& d : digests_) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(d->ctx, md, &len) != 1) return Error{d->name + " failed"};
    std::string actual = to_hex(std::string_view(reinterpret_cast<const char*>(md), len));
    // Digests in metadata are lowercase hex; compare case-insensitively anyway.
    auto expected = from_hex(d->expected);
    if (!expected || to_hex(*expected) != actual) return Error{d->name + " mismatch"};
  }
  return {};
}

Result<void> check_hashes(const Hashes& expected, std::string_view data) {
  auto check = HashCheck::create(expected);
  if (!check) return check.error();
  check->update(data);
  return check->finish();
}

}  // namespace appliance::tuf
