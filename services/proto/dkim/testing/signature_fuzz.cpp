// NAME
//   signature_fuzz.cpp - libFuzzer target: any bytes as a DKIM-Signature
//   value, a tag-list, and a header section to check a signature against.
//
// DESCRIPTION
//   Nothing may crash; a parsed signature must name From in h= and carry a
//   body hash and a signature; a composed signature must parse back.
#include <cstdlib>

#include "proto/dkim/header.h"
#include "proto/dkim/sign.h"
#include "proto/dkim/signature.h"
#include "proto/dkim/tags.h"
#include "proto/dkim/verify.h"

using namespace appliance;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)dkim::parse_tags(text);
  auto s = dkim::parse_signature(text);
  if (s && (s->body_hash.empty() || s->signature.empty() || s->headers.empty())) std::abort();
  // The same bytes as a message: hashed for signing, and checked if signed.
  dkim::MessageHasher hasher(1024);
  hasher.write(text);
  if (hasher.finish()) {
    auto p = dkim::prepare_signature(hasher, dkim::Algorithm::ed25519_sha256, "example.test", "s1", 1);
    auto back = dkim::parse_signature(dkim::field_value(dkim::add_signature_value(p.field, "sig")));
    if (!back) std::abort();
  }
  auto fields = dkim::split_fields(text);
  for (std::string_view field : dkim::signature_fields(fields)) {
    auto sig = dkim::parse_signature(dkim::field_value(field));
    if (!sig) continue;
    dkim::KeyRecord key;
    key.public_key = std::string(32, 'k');
    key.type = dkim::KeyType::ed25519;
    (void)dkim::check_signature(fields, field, *sig, dkim::body_hash(*sig, text), key);
  }
  return 0;
}
