// NAME
//   key_record.h - the DKIM key record published in DNS (RFC 6376 3.6.1).
//
// DESCRIPTION
//   parse_key_record() reads the TXT record of selector._domainkey.domain
//   (its strings already joined): v= DKIM1 and first if present, h= must
//   allow sha256 if present, k= rsa (the default) or ed25519 (RFC 8463), s=
//   must allow email if present, t= flags y (testing) and s (strict i=),
//   p= base64; an empty p= means the key was revoked. Refusals name the tag.
//
//   compose_key_record() writes the record to publish, and txt_strings()
//   cuts it into the 255-octet character-strings a TXT record is made of.
//   Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace appliance::dkim {

enum class KeyType { rsa, ed25519 };

struct KeyRecord {
  KeyType type = KeyType::rsa;
  std::string public_key;  // decoded p=: RSA SubjectPublicKeyInfo (or RSAPublicKey), or 32 Ed25519 bytes
  bool revoked = false;    // p= empty
  bool testing = false;    // t=y
  bool strict = false;     // t=s: i= must be exactly d=
};

Result<KeyRecord> parse_key_record(std::string_view text);

std::string compose_key_record(KeyType type, std::string_view public_key);
std::vector<std::string> txt_strings(std::string_view record, std::size_t size = 255);

}  // namespace appliance::dkim
