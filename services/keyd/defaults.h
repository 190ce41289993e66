// NAME
//   defaults.h - the keys an appliance needs from its first start.
//
// DESCRIPTION
//   Once the token is open, keyd makes every default key family that has no
//   version yet, as version 1: the TLS key of the appliance's host name (with
//   a self-signed certificate until an operator installs one), the key that
//   wraps mailbox data keys, the peppers of passwords and API keys, and the
//   key that seals TOTP seeds. A family that has versions, retired or not, is
//   left alone: its keys are the operator's to rotate.
#pragma once

#include <string>
#include <vector>

#include "keyd/broker.h"

namespace appliance::keyd {

struct DefaultKey {
  std::string family;
  std::string algorithm;
};

std::vector<DefaultKey> default_keys(const std::string& hostname);

// Makes the missing ones; returns the names made.
Result<std::vector<std::string>> provision_default_keys(Broker& broker,
                                                        const std::string& hostname);

}  // namespace appliance::keyd
