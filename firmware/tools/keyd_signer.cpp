// NAME
//   keyd_signer.cpp - signing TUF metadata with a key in keyd.
#include "tools/keyd_signer.h"

#include "tuf/digest.h"
#include "tuf/keys.h"

namespace appliance::release {

Result<std::unique_ptr<KeydSigner>> KeydSigner::open(keyd::KeydClient& client,
                                                     const std::string& name) {
  auto pub = client.public_key(name);
  if (!pub) return Error{"keyd key " + name + ": " + pub.message()};
  auto object = tuf::key_object_from_spki(pub->spki_der);
  if (!object) return Error{"keyd key " + name + ": " + object.message()};
  if ((*object)["keytype"] != "ecdsa") {
    return Error{"keyd key " + name + ": expected an ec-p256 key (ed25519 input is too short)"};
  }
  auto keyid = tuf::compute_keyid(*object);
  if (!keyid) return keyid.error();
  // A family name would follow keyd's rotation silently; sign with the version asked for.
  return std::unique_ptr<KeydSigner>(
      new KeydSigner(client, pub->info.name, std::move(*object), std::move(*keyid)));
}

Result<std::string> KeydSigner::sign(std::string_view message) const {
  auto digest = tuf::from_hex(tuf::sha256_hex(message));
  if (!digest) return Error{"cannot hash"};
  auto signed_ = client_.sign(name_, keyd::SignScheme::ecdsa, *digest);
  if (!signed_) return Error{"keyd key " + name_ + ": " + signed_.message()};
  return tuf::to_hex(signed_->signature);
}

}  // namespace appliance::release
