// NAME
//   keys.h - generate, find, list and delete the keys in the token.
//
// DESCRIPTION
//   Keys are made inside the token and stay there: every one is CKA_TOKEN,
//   CKA_PRIVATE, CKA_SENSITIVE and not CKA_EXTRACTABLE. A key is addressed by
//   its name (key_name.h), which is its CKA_LABEL; an asymmetric key is a
//   private and a public object under the same label and CKA_ID.
//
//   Which algorithms a purpose may use:
//     tls     ec-p256, rsa-2048, rsa-3072
//     dkim    rsa-2048, rsa-3072, ed25519
//     update  ec-p256, rsa-2048, rsa-3072, ed25519
//     secret  hmac-sha256   (peppers: HMAC-SHA256 with a 256-bit generic secret)
//     seal    aes-256       (AES-256-GCM sealing)
//     wrap    aes-256       (AES key wrap of data keys)
//   ed25519 needs CKM_EC_EDWARDS_KEY_PAIR_GEN; a module without it is reported
//   as "Ed25519: not supported by this module".
//
// CREATION DATE
//   Every key object gets CKA_START_DATE = the day it was made (UTC), which
//   the inventory reports as Key.created. SoftHSM 2.6 cannot read that
//   attribute back from a private object (it stores the date unencrypted and
//   then tries to decrypt it: CKR_GENERAL_ERROR), so the date is read from the
//   key if the module allows, else from the public half of a pair, and a
//   secret key, which has no public half, is made with a companion CKO_DATA
//   object (private, same label, CKA_APPLICATION "appliance key record",
//   CKA_VALUE "created=YYYY-MM-DD"). delete_key() removes it with the key.
//
// DATA KEYS AND CKA_TRUSTED
//   generate_data_key() makes the one kind of key that may leave the token: an
//   AES-256 *session* key, CKA_EXTRACTABLE so that it can be wrapped, and
//   CKA_WRAP_WITH_TRUSTED so that only a CKA_TRUSTED key can wrap it.
//   generate_key() asks for CKA_TRUSTED on every wrap/ key. PKCS#11 lets only
//   the security officer set CKA_TRUSTED, and on SoftHSM an SO session can
//   neither create nor see private objects, so there the request is refused
//   (CKR_ATTRIBUTE_READ_ONLY) and the wrap key is made untrusted but still
//   private. Making it public so that the SO could mark it would store the
//   key in plain text, which is worse. Key.trusted says which happened, and
//   generate_data_key() sets CKA_WRAP_WITH_TRUSTED only when the wrapping key
//   is trusted (a module enforces the flag at C_WrapKey, so setting it with an
//   untrusted wrap key would make the data key unwrappable). What still holds
//   without it: a data key is a session object that vanishes with its
//   session, and unwrap_key() (ops.h) re-creates it non-extractable, so a
//   stored data key can never be wrapped a second time under another key.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "key_name.h"
#include "p11.h"
#include "token.h"

namespace appliance::hsm {

enum class Algorithm { ec_p256, rsa_2048, rsa_3072, ed25519, aes_256, hmac_sha256, unknown };

// "ec-p256", "rsa-2048", "rsa-3072", "ed25519", "aes-256", "hmac-sha256", "unknown".
std::string_view algorithm_name(Algorithm algorithm);
Result<Algorithm> parse_algorithm(std::string_view text);
Result<void> check_algorithm_for_purpose(Purpose purpose, Algorithm algorithm);

struct Key {
  std::string name;
  Algorithm algorithm = Algorithm::unknown;
  CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;         // private or secret key
  CK_OBJECT_HANDLE public_handle = CK_INVALID_HANDLE;  // none for secret keys
  std::string created;                                 // "YYYY-MM-DD" (see CREATION DATE)
  bool trusted = false;                                // CKA_TRUSTED (wrap keys)
};

// Generates a new key in the token; fails if the name is taken.
Result<Key> generate_key(Session& session, std::string_view name, Algorithm algorithm);
Result<Key> find_key(Session& session, std::string_view name);
// Every private and secret token key, sorted by name.
Result<std::vector<Key>> list_keys(Session& session);
// Destroys every token object under the name (private, public, secret, record).
Result<void> delete_key(Session& session, std::string_view name);

// Reads name, algorithm, date and public half of a private or secret key.
Result<Key> describe_key(Session& session, CK_OBJECT_HANDLE handle);

struct DataKey {
  CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;  // a session object
  bool wrap_with_trusted = false;
};

// An AES-256 session key for wrapping under `wrapping_key` (a wrap/ key).
Result<DataKey> generate_data_key(Session& session, const Key& wrapping_key);

}  // namespace appliance::hsm
