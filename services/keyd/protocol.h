// NAME
//   protocol.h - keyd's requests and replies, encoded and decoded.
//
// DESCRIPTION
//   Pure: no sockets, no token. Each request is one ipc frame (common/ipc.h)
//   whose body has a fixed layout, read strictly: a field too long, missing,
//   or a byte left over rejects the request. Keys are named as in the token
//   ("tls/mail.example.test/v2"), or by family ("tls/mail.example.test"):
//   the family's current version then serves, and the reply names it.
//
//   request (type)       body                                 reply
//   key_sign             key, u8 scheme, input                key_signature: key, signature
//   key_hmac             key, data                            key_mac: key, mac
//   key_hmac_verify      key, data, mac                       key_verified: u8 ok
//   key_seal             key, plaintext, aad                  key_sealed: key, sealed
//   key_unseal           key, sealed, aad                     key_plaintext: plaintext
//   key_new_data_key     key, aad                             key_data_key: key, raw, wrapped
//   key_unwrap           key, wrapped, aad                    key_plaintext: raw
//   key_public           key                                  key_public_reply: info, spki, chain
//   key_list             -                                    key_list_reply: u32 n, n * info
//   key_generate         name, algorithm                      key_info: info
//   key_rotate           family, algorithm ("" = as before)   key_info
//   key_import           name, u8 format, data, password      key_info
//   key_csr              name, common name, u32 n, n * dns    key_pem: pem
//   key_set_certificate  name, pem chain                      key_info
//   key_retire           name                                 key_info
//   key_delete           name, u8 force                       key_done
//   any                                                       error: message
//
//   info = name, algorithm, created, retired, u64 uses, u64 last used (unix
//   seconds, 0 never), u8 has certificate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/ipc.h"
#include "common/result.h"
#include "common/secret.h"

namespace appliance::keyd {

constexpr std::uint32_t kMaxName = 128;
constexpr std::uint32_t kMaxInput = 1024;        // digests, DigestInfo, RSA blocks
constexpr std::uint32_t kMaxData = 64 * 1024;    // HMAC input, plaintext
constexpr std::uint32_t kMaxImport = 256 * 1024;  // key files, certificate chains
constexpr std::uint32_t kMaxFrame = 512 * 1024;

enum class SignScheme : std::uint8_t {
  ecdsa = 1,      // input: a digest; signature: DER
  rsa_pkcs1 = 2,  // input: a DER DigestInfo
  rsa_raw = 3,    // input: a modulus-sized block (PSS padding done by the caller)
  rsa_pss = 4,    // input: a SHA-256/384/512 digest
  ed25519 = 5,    // input: the message
};

enum class ImportFormat : std::uint8_t { pem = 1, pkcs8 = 2, pkcs12 = 3 };

struct KeyInfo {
  std::string name;
  std::string algorithm;
  std::string created;
  std::string retired;  // "" while in service
  std::uint64_t uses = 0;
  std::uint64_t last_used = 0;
  bool has_certificate = false;
};

// One request, decoded. Which fields are meaningful depends on type.
struct Request {
  ipc::Type type = ipc::Type::error;
  std::string key;
  SignScheme scheme = SignScheme::ecdsa;
  std::string data;   // input, data, plaintext, sealed, wrapped, import data, pem chain
  std::string extra;  // mac, aad, algorithm, common name
  Secret password;    // key_import
  ImportFormat format = ImportFormat::pem;
  std::vector<std::string> dns_names;
  bool force = false;
};

// Is it an administrative request (root only)?
bool is_admin(ipc::Type type);

Result<Request> decode_request(const ipc::Message& message);
ipc::Writer encode_request(const Request& request);

void write_info(ipc::Writer& w, const KeyInfo& info);
KeyInfo read_info(ipc::Reader& r);

}  // namespace appliance::keyd
