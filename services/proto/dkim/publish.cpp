// NAME
//   publish.cpp - a DKIM key's DNS record, from its name and public key.
#include "proto/dkim/publish.h"

#include <fmt/format.h>

#include "proto/dkim/crypto.h"
#include "proto/dkim/key_record.h"

namespace appliance::dkim {

std::string PublishedRecord::line() const {
  std::string out = owner + " IN TXT";
  for (const std::string& s : strings) out += fmt::format(" \"{}\"", s);
  return out;
}

Result<PublishedRecord> publish_record(std::string_view key_name, std::string_view spki_der) {
  if (!key_name.starts_with("dkim/")) return make_error(fmt::format("{} is not a DKIM key", key_name));
  std::string_view parts = key_name.substr(5);  // DOMAIN/SELECTOR
  auto slash = parts.rfind('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == parts.size())
    return make_error(fmt::format("{} is not dkim/DOMAIN/SELECTOR", key_name));
  auto key = public_key_for_record(spki_der);
  if (!key) return key.error();
  PublishedRecord r;
  r.domain = parts.substr(0, slash);
  r.selector = parts.substr(slash + 1);
  r.owner = fmt::format("{}._domainkey.{}", r.selector, r.domain);
  r.strings = txt_strings(compose_key_record(key->type, key->public_key));
  return r;
}

}  // namespace appliance::dkim
