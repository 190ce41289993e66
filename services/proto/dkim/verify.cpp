// NAME
//   verify.cpp - one DKIM signature checked against its key record.
#include "proto/dkim/verify.h"

#include "proto/dkim/canon.h"
#include "proto/dkim/crypto.h"
#include "proto/dkim/header.h"

namespace appliance::dkim {

std::vector<std::string_view> signature_fields(const std::vector<std::string_view>& fields) {
  std::vector<std::string_view> out;
  for (std::string_view f : fields)
    if (same_name(field_name(f), "DKIM-Signature")) out.push_back(f);
  return out;
}

std::string_view field_value(std::string_view field) {
  auto colon = field.find(':');
  if (colon == std::string_view::npos) return {};
  std::string_view value = field.substr(colon + 1);
  if (value.ends_with("\r\n")) value.remove_suffix(2);
  return value;
}

std::string body_hash(const Signature& s, std::string_view body) {
  Sha256 sha;
  BodyCanon canon(s.body_canon, [&](std::string_view bytes) { sha.update(bytes); }, s.length);
  canon.write(body);
  canon.finish();
  return sha.finish();
}

Result<void> check_signature(const std::vector<std::string_view>& fields, std::string_view field,
                             const Signature& s, std::string_view computed_body_hash,
                             const KeyRecord& key) {
  if (key.strict) {
    auto at = s.identity.rfind('@');
    if (at == std::string::npos || !same_name(s.identity.substr(at + 1), s.domain))
      return make_error("the key is strict (t=s) and i= is a subdomain of d=");
  }
  if (computed_body_hash != s.body_hash) return make_error("body hash did not verify");
  std::string input = header_hash_input(s.header_canon, fields, s.headers, field);
  return verify(s.algorithm, key, input, s.signature);
}

}  // namespace appliance::dkim
