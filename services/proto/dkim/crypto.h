// NAME
//   crypto.h - the hashing and verification DKIM needs (OpenSSL).
//
// DESCRIPTION
//   Sha256 hashes a body as it streams. signing_input() turns a header hash
//   input into what the key signs: for rsa-sha256 the DER DigestInfo of its
//   SHA-256 (keyd's rsa_pkcs1 scheme), for ed25519-sha256 its SHA-256, which
//   Ed25519 then signs as its message (RFC 8463 3). verify() checks a
//   signature against a key record. public_key_for_record() turns a
//   SubjectPublicKeyInfo (as keyd hands it out) into the p= of a key record.
//   Pure: computation only.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "proto/dkim/key_record.h"
#include "proto/dkim/signature.h"

namespace appliance::dkim {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data);
  std::string finish();  // 32 raw bytes

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string sha256(std::string_view data);

std::string signing_input(Algorithm a, std::string_view header_hash_input);

// Ok when `signature` signs `header_hash_input` under `key`; else why not.
Result<void> verify(Algorithm a, const KeyRecord& key, std::string_view header_hash_input,
                    std::string_view signature);

struct RecordKey {
  KeyType type;
  std::string public_key;  // for p=
};
Result<RecordKey> public_key_for_record(std::string_view spki_der);

}  // namespace appliance::dkim
