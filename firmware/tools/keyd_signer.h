// NAME
//   keyd_signer.h - a TUF Signer whose ECDSA P-256 key stays in the
//   appliance's token, reached through keyd.
//
// DESCRIPTION
//   The online roles (snapshot, timestamp) sign with keyd keys named
//   update/snapshot/vN and update/timestamp/vN; only root (the admin caller)
//   may use them. The message is hashed here (SHA-256) and keyd signs the
//   digest; the DER signature is what TUF's ecdsa-sha2-nistp256 expects.
//   ed25519 keys in keyd are refused: keyd signs ed25519 messages of at most
//   1 KiB, and metadata is larger.
#pragma once

#include <memory>
#include <string>

#include "keyd/client.h"
#include "tuf/signer.h"

namespace appliance::release {

class KeydSigner : public tuf::Signer {
 public:
  // Asks keyd for the key's public half; `name` is a key version.
  static Result<std::unique_ptr<KeydSigner>> open(keyd::KeydClient& client,
                                                  const std::string& name);

  const nlohmann::json& public_key() const override { return public_key_; }
  const std::string& keyid() const override { return keyid_; }
  Result<std::string> sign(std::string_view message) const override;
  const std::string& name() const { return name_; }

 private:
  KeydSigner(keyd::KeydClient& client, std::string name, nlohmann::json public_key,
             std::string keyid)
      : client_(client),
        name_(std::move(name)),
        public_key_(std::move(public_key)),
        keyid_(std::move(keyid)) {}
  keyd::KeydClient& client_;
  std::string name_;
  nlohmann::json public_key_;
  std::string keyid_;
};

}  // namespace appliance::release
