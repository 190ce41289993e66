// NAME
//   digest.h - hex encoding and the hash functions TUF metadata may name.
//
// DESCRIPTION
//   HashCheck checks data, fed in chunks, against every hash a METAFILES or
//   TARGETS entry lists ("sha256", "sha512"). A listed algorithm the client
//   does not know is a failure, never a silent skip.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace appliance::tuf {

std::string to_hex(std::string_view bytes);
std::optional<std::string> from_hex(std::string_view hex);

// Hex digest with a named algorithm ("sha256", "sha512"); empty if unknown.
std::string digest_hex(std::string_view algorithm, std::string_view data);
std::string sha256_hex(std::string_view data);

bool is_supported_hash(std::string_view algorithm);

// Hash name -> lowercase hex digest, as in metadata.
using Hashes = std::map<std::string, std::string>;

class HashCheck {
 public:
  // Fails on an empty map or an unsupported algorithm.
  static Result<HashCheck> create(const Hashes& expected);

  HashCheck(HashCheck&&) noexcept;
  HashCheck& operator=(HashCheck&&) noexcept;
  ~HashCheck();

  void update(std::string_view chunk);
  // Finishes every digest; the error names the first that differs,
  // e.g. "sha256 mismatch".
  Result<void> finish();

 private:
  struct Digest;
  HashCheck() = default;
  std::vector<std::unique_ptr<Digest>> digests_;
};

// One-shot form of HashCheck.
Result<void> check_hashes(const Hashes& expected, std::string_view data);

}  // namespace appliance::tuf
