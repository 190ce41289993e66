// NAME
//   key_record_fuzz.cpp - libFuzzer target: any bytes as a DKIM key record.
//
// DESCRIPTION
//   Nothing may crash; an Ed25519 key parsed is 32 octets; a record composed
//   from a parsed key parses back to the same key.
#include <cstdlib>

#include "proto/dkim/key_record.h"

using namespace appliance;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = dkim::parse_key_record(text);
  if (!r || r->revoked) return 0;
  if (r->type == dkim::KeyType::ed25519 && r->public_key.size() != 32) std::abort();
  auto back = dkim::parse_key_record(dkim::compose_key_record(r->type, r->public_key));
  if (!back || back->public_key != r->public_key) std::abort();
  return 0;
}
