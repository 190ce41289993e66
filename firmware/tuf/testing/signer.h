// NAME
//   signer.h - producing signed TUF metadata: the Signer interface and an
//   in-memory OpenSSL implementation.
//
// DESCRIPTION
//   sign_metadata() wraps a "signed" body in its envelope, signing the
//   canonical JSON of the body with each Signer. Tests use InMemorySigner
//   (fresh ed25519, ECDSA P-256 or RSA-2048 keys); the release tool will add
//   signers that keep their keys in a token and only expose sign().
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace appliance::tuf::testing {

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

class InMemorySigner : public Signer {
 public:
  static Result<std::unique_ptr<InMemorySigner>> generate(KeyKind kind);
  ~InMemorySigner() override;

  const nlohmann::json& public_key() const override { return public_key_; }
  const std::string& keyid() const override { return keyid_; }
  Result<std::string> sign(std::string_view message) const override;

 private:
  struct Pkey;
  InMemorySigner(std::unique_ptr<Pkey> key, KeyKind kind, nlohmann::json public_key,
                 std::string keyid);
  std::unique_ptr<Pkey> key_;
  KeyKind kind_;
  nlohmann::json public_key_;
  std::string keyid_;
};

// The bytes of a metadata file whose "signed" part is `body`, signed by each
// of `signers` in order.
Result<std::string> sign_metadata(const nlohmann::json& body,
                                  const std::vector<const Signer*>& signers);

}  // namespace appliance::tuf::testing
