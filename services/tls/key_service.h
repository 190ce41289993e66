// NAME
//   key_service.h - what a TLS server needs from the key store: a tls key's
//   public half and certificate chain, and signatures with it.
//
// DESCRIPTION
//   KeyService is the seam between the TLS code and keyd. In the daemons it
//   is keyd_key_service(), a KeydClient underneath; unit tests put an
//   in-memory key store behind it.
//
//   Both calls may be made from several threads at once, and must not throw.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "keyd/client.h"

namespace appliance::tls {

class KeyService {
 public:
  virtual ~KeyService() = default;

  // `name` is a key version or a family; the reply names the version.
  virtual Result<keyd::PublicKey> public_key(const std::string& name) = 0;
  // `key` is a key version: a TLS handshake must sign with the key whose
  // certificate it sent, not with whatever the family's current one is.
  virtual Result<keyd::Signed> sign(const std::string& key, keyd::SignScheme scheme,
                                    std::string_view input) = 0;
};

// Through keyd's socket, on KeydClient's shared connections. `patience` bounds
// how long a request retries while keyd is away (a handshake waits that long).
std::shared_ptr<KeyService> keyd_key_service(
    std::string socket_path, std::chrono::milliseconds patience = std::chrono::seconds(5));

}  // namespace appliance::tls
