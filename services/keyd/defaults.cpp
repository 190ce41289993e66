// NAME
//   defaults.cpp - default key families, made at the first start.
#include "keyd/defaults.h"

#include <algorithm>

#include "common/log.h"

namespace appliance::keyd {

std::vector<DefaultKey> default_keys(const std::string& hostname) {
  std::string host = hostname;  // key names are lower case; DNS names are not case-sensitive
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return {
      {"tls/" + host, "ec-p256"},
      {"wrap/mail", "aes-256"},
      {"secret/password-pepper", "hmac-sha256"},
      {"secret/api-pepper", "hmac-sha256"},
      {"seal/totp", "aes-256"},
  };
}

Result<std::vector<std::string>> provision_default_keys(Broker& broker,
                                                        const std::string& hostname) {
  const std::vector<KeyInfo> have = broker.registry.list();
  Worker worker(broker);
  std::vector<std::string> made;
  for (const DefaultKey& d : default_keys(hostname)) {
    const std::string prefix = d.family + "/";
    bool present = std::any_of(have.begin(), have.end(),
                               [&](const KeyInfo& k) { return k.name.starts_with(prefix); });
    if (present) continue;
    const std::string name = prefix + "v1";
    if (auto r = worker.generate_default(name, d.algorithm); !r)
      return make_error(fmt::format("default key {}: {}", name, r.message()));
    made.push_back(name);
  }
  return made;
}

}  // namespace appliance::keyd
