// NAME
//   key_list.h - the list of a domain's DKIM signing keys, as the store keeps
//   it.
//
// DESCRIPTION
//   `appliancectl dkim generate` (and webd's /api/v1/admin/dkim) records each key it makes in the store
//   setting key_list_setting(domain), "dkim:<domain>": the key names
//   (dkim/<domain>/<selector>) separated by spaces. smtpd reads it to know
//   which keys sign (smtpd/dkim_sign.h). Both sides parse and write it here.
//   Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace appliance::dkim {

std::string key_list_setting(std::string_view domain);
std::vector<std::string> parse_key_list(std::string_view value);
std::string compose_key_list(const std::vector<std::string>& names);
// The setting's value with `name` added (once); `value` null: no keys yet.
std::string key_list_with(const std::string* value, const std::string& name);

}  // namespace appliance::dkim
