// NAME
//   keys.h - TUF public keys, key ids and signature verification.
//
// DESCRIPTION
//   Supported (keytype / scheme / keyval.public / signature):
//     ed25519 / "ed25519" / 64 hex digits / 128 hex digits
//     ecdsa (or ecdsa-sha2-nistp256) / "ecdsa-sha2-nistp256" / PEM P-256 key /
//         hex of a DER ECDSA signature over SHA-256
//     rsa / "rsassa-pss-sha256" / PEM key, 2048 to 8192 bits / hex of an
//         RSASSA-PSS signature, SHA-256, MGF1-SHA-256, salt = 32 bytes
//   A key of another type parses (metadata stays readable) but never
//   verifies anything.
//
//   The key id is the SHA-256 of the canonical JSON of the whole key object
//   as published; parse_key_map() refuses ids that do not match their key, so
//   one id can never name two keys.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/result.h"

namespace appliance::tuf {

struct Key {
  std::string keytype;
  std::string scheme;
  std::string public_value;  // keyval.public
  nlohmann::json object;     // the key object as published
};

Result<std::string> compute_keyid(const nlohmann::json& key_object);

Result<Key> parse_key(const nlohmann::json& key_object);

// Parses a {KEYID: KEY} map, checking each KEYID against its key.
Result<std::map<std::string, Key>> parse_key_map(const nlohmann::json& keys);

// True only if `signature_hex` is a valid signature of `message` by `key`.
// Any malformed input is simply "not valid".
bool verify_signature(const Key& key, std::string_view message, std::string_view signature_hex);

}  // namespace appliance::tuf
