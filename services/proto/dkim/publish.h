// NAME
//   publish.h - the DNS record to publish for a DKIM key of the token.
//
// DESCRIPTION
//   publish_record() turns a key's name (dkim/DOMAIN/SELECTOR) and its
//   public key (SubjectPublicKeyInfo, as keyd returns it) into the record
//   an operator publishes: owner name, and the TXT strings of at most 255
//   octets. line() is the zone-file form `appliancectl dkim records` prints
//   and the web UI shows. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace appliance::dkim {

struct PublishedRecord {
  std::string domain, selector;
  std::string owner;                 // SELECTOR._domainkey.DOMAIN
  std::vector<std::string> strings;  // the TXT record's character-strings
  std::string line() const;          // OWNER IN TXT "..." "..."
};

Result<PublishedRecord> publish_record(std::string_view key_name, std::string_view spki_der);

}  // namespace appliance::dkim
