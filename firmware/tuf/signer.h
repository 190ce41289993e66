// NAME
//   signer.h - producing signed TUF metadata: the Signer interface, a signer
//   holding an OpenSSL private key, and sign_metadata().
//
// DESCRIPTION
//   sign_metadata() wraps a "signed" body in its envelope, signing the
//   canonical JSON of the body with each Signer. PrivateKeySigner holds an
//   ed25519, ECDSA P-256 or RSA-2048 key in this process: generated (tests),
//   or read from a PEM file (the release tool's offline keys). Signers whose
//   keys stay in a token implement the same interface and only expose sign().
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace appliance::tuf {

enum class KeyKind { ed25519, ecdsa_p256, rsa_pss_sha256 };

class Signer {
 public:
  virtual ~Signer() = default;
  // The TUF KEY object: {"keytype", "scheme", "keyval": {"public"}}.
  virtual const nlohmann::json& public_key() const = 0;
  virtual const std::string& keyid() const = 0;
  // Hex signature of `message` in the key's scheme.
  virtual Result<std::string> sign(std::string_view message) const = 0;
};

class PrivateKeySigner : public Signer {
 public:
  static Result<std::unique_ptr<PrivateKeySigner>> generate(KeyKind kind);
  // A PEM private key (PKCS#8 or traditional): ed25519 or ECDSA P-256.
  static Result<std::unique_ptr<PrivateKeySigner>> from_pem(std::string_view pem);
  ~PrivateKeySigner() override;

  const nlohmann::json& public_key() const override { return public_key_; }
  const std::string& keyid() const override { return keyid_; }
  Result<std::string> sign(std::string_view message) const override;
  // Unencrypted PKCS#8 PEM, to store as an offline key file.
  Result<std::string> private_pem() const;

 private:
  struct Pkey;
  static Result<std::unique_ptr<PrivateKeySigner>> wrap(std::unique_ptr<Pkey> key, KeyKind kind);
  PrivateKeySigner(std::unique_ptr<Pkey> key, KeyKind kind, nlohmann::json public_key,
                   std::string keyid);
  std::unique_ptr<Pkey> key_;
  KeyKind kind_;
  nlohmann::json public_key_;
  std::string keyid_;
};

// The TUF key object of an ECDSA P-256 or ed25519 public key given as DER
// SubjectPublicKeyInfo (as a token reports it).
Result<nlohmann::json> key_object_from_spki(std::string_view der);

// The bytes of a metadata file whose "signed" part is `body`, signed by each
// of `signers` in order.
Result<std::string> sign_metadata(const nlohmann::json& body,
                                  const std::vector<const Signer*>& signers);

}  // namespace appliance::tuf
