// NAME
//   signatures.cpp - threshold signature counting.
#include "tuf/signatures.h"

#include <algorithm>
#include <set>

namespace appliance::tuf {

std::size_t count_valid_signatures(const Envelope& envelope, const std::map<std::string, Key>& keys,
                                   const RoleKeys& role) {
  std::set<std::string> counted_ids;
  std::set<std::string> counted_keys;
  for (const Signature& sig : envelope.signatures) {
    if (std::find(role.keyids.begin(), role.keyids.end(), sig.keyid) == role.keyids.end()) continue;
    if (counted_ids.count(sig.keyid)) continue;
    auto key = keys.find(sig.keyid);
    if (key == keys.end()) continue;
    if (counted_keys.count(key->second.public_value)) continue;
    if (!verify_signature(key->second, envelope.signed_bytes, sig.sig)) continue;
    counted_ids.insert(sig.keyid);
    counted_keys.insert(key->second.public_value);
  }
  return counted_ids.size();
}

Result<void> verify_threshold(const Envelope& envelope, const std::map<std::string, Key>& keys,
                              const RoleKeys& role, std::string_view what,
                              std::string_view context) {
  std::size_t valid = count_valid_signatures(envelope, keys, role);
  if (valid >= role.threshold) return {};
  return Error{"arbitrary software attack: threshold not met: " + std::string(what) + " has " +
               std::to_string(valid) + (valid == 1 ? " valid signature" : " valid signatures") +
               " of " + std::to_string(role.threshold) + " required" + std::string(context)};
}

}  // namespace appliance::tuf
