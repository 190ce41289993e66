// NAME
//   keys.cpp - key generation inside the token, lookup by name, inventory.
//
// DESCRIPTION
//   See keys.h for the rules. Templates are built in one place per key kind so
//   that a reader can check the protection attributes at a glance.
#include "keys.h"

#include <algorithm>
#include <array>

#include "attributes.h"
#include "key_template.h"

namespace appliance::hsm {

namespace {

constexpr std::array<std::pair<Algorithm, std::string_view>, 7> kAlgorithms{{
    {Algorithm::ec_p256, "ec-p256"},
    {Algorithm::rsa_2048, "rsa-2048"},
    {Algorithm::rsa_3072, "rsa-3072"},
    {Algorithm::ed25519, "ed25519"},
    {Algorithm::aes_256, "aes-256"},
    {Algorithm::hmac_sha256, "hmac-sha256"},
    {Algorithm::unknown, "unknown"},
}};

constexpr std::string_view kKeyRecordApplication = "appliance key record";

struct NewKey {
  std::string_view name;
  std::string id;
  CK_DATE date;
};

bool is_rsa(Algorithm a) {
  return a == Algorithm::rsa_2048 || a == Algorithm::rsa_3072;
}

void fill_pair_templates(Algorithm algorithm, Template& pub, Template& priv,
                         CK_MECHANISM_TYPE& mechanism) {
  if (algorithm == Algorithm::ec_p256) {
    mechanism = CKM_EC_KEY_PAIR_GEN;
    pub.ulong(CKA_KEY_TYPE, CKK_EC).bytes(CKA_EC_PARAMS, kOidP256);
    priv.ulong(CKA_KEY_TYPE, CKK_EC);
  } else if (algorithm == Algorithm::ed25519) {
    mechanism = CKM_EC_EDWARDS_KEY_PAIR_GEN;
    pub.ulong(CKA_KEY_TYPE, CKK_EC_EDWARDS).bytes(CKA_EC_PARAMS, kOidEd25519);
    priv.ulong(CKA_KEY_TYPE, CKK_EC_EDWARDS);
  } else {
    mechanism = CKM_RSA_PKCS_KEY_PAIR_GEN;
    const CK_ULONG bits = algorithm == Algorithm::rsa_2048 ? 2048 : 3072;
    pub.ulong(CKA_KEY_TYPE, CKK_RSA)
        .ulong(CKA_MODULUS_BITS, bits)
        .bytes(CKA_PUBLIC_EXPONENT, std::string_view("\x01\x00\x01", 3));
    priv.ulong(CKA_KEY_TYPE, CKK_RSA);
  }
}

Result<CK_OBJECT_HANDLE> generate_pair(Session& session, const NewKey& key, Algorithm algorithm) {
  if (algorithm == Algorithm::ed25519) {
    auto has = session.module().has_mechanism(session.slot(), CKM_EC_EDWARDS_KEY_PAIR_GEN);
    if (!has) return has.error();
    if (!*has) return Error{"Ed25519: not supported by this module"};
  }
  Template pub, priv;
  add_identity(pub, key.name, key.id, key.date);
  pub.ulong(CKA_CLASS, CKO_PUBLIC_KEY).flag(CKA_PRIVATE, false).flag(CKA_VERIFY, true);
  add_identity(priv, key.name, key.id, key.date);
  add_protection(priv);
  priv.ulong(CKA_CLASS, CKO_PRIVATE_KEY).flag(CKA_SIGN, true);

  CK_MECHANISM mechanism{CKM_EC_KEY_PAIR_GEN, nullptr, 0};
  fill_pair_templates(algorithm, pub, priv, mechanism.mechanism);
  CK_OBJECT_HANDLE pub_handle = CK_INVALID_HANDLE, priv_handle = CK_INVALID_HANDLE;
  const CK_RV rv =
      session.fn()->C_GenerateKeyPair(session.handle(), &mechanism, pub.data(), pub.size(),
                                      priv.data(), priv.size(), &pub_handle, &priv_handle);
  if (rv != CKR_OK) return p11_error("C_GenerateKeyPair", rv);
  return priv_handle;
}

// One attempt at a secret key; `trusted` asks for CKA_TRUSTED (wrap keys).
CK_RV try_generate_secret(Session& session, const NewKey& key, Purpose purpose, bool trusted,
                          CK_OBJECT_HANDLE& handle) {
  Template t;
  add_identity(t, key.name, key.id, key.date);
  add_protection(t);
  t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_VALUE_LEN, 32);
  CK_MECHANISM mechanism{CKM_AES_KEY_GEN, nullptr, 0};
  if (purpose == Purpose::secret) {
    mechanism.mechanism = CKM_GENERIC_SECRET_KEY_GEN;
    t.ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET).flag(CKA_SIGN, true).flag(CKA_VERIFY, true);
  } else if (purpose == Purpose::seal) {
    t.ulong(CKA_KEY_TYPE, CKK_AES).flag(CKA_ENCRYPT, true).flag(CKA_DECRYPT, true);
  } else {
    // keyd wraps data keys with AES-GCM (C_Encrypt) so that each wrapped key
    // is bound to its account by associated data, which AES key wrap cannot do.
    t.ulong(CKA_KEY_TYPE, CKK_AES).flag(CKA_WRAP, true).flag(CKA_UNWRAP, true);
    t.flag(CKA_ENCRYPT, true).flag(CKA_DECRYPT, true);
    if (trusted) t.flag(CKA_TRUSTED, true);
  }
  return session.fn()->C_GenerateKey(session.handle(), &mechanism, t.data(), t.size(), &handle);
}

// The creation date of a secret key, where it can be read back (see keys.h).
Result<void> add_key_record(Session& session, const NewKey& key) {
  Template t;
  t.ulong(CKA_CLASS, CKO_DATA)
      .flag(CKA_TOKEN, true)
      .flag(CKA_PRIVATE, true)
      .bytes(CKA_LABEL, key.name)
      .bytes(CKA_APPLICATION, kKeyRecordApplication)
      .bytes(CKA_VALUE, "created=" + format_date(key.date));
  CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
  const CK_RV rv = session.fn()->C_CreateObject(session.handle(), t.data(), t.size(), &handle);
  return p11_check("C_CreateObject", rv);
}

Result<CK_OBJECT_HANDLE> generate_secret(Session& session, const NewKey& key, Purpose purpose) {
  CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
  CK_RV rv = try_generate_secret(session, key, purpose, purpose == Purpose::wrap, handle);
  // Only the SO may set CKA_TRUSTED (see keys.h); fall back to an untrusted wrap key.
  if (purpose == Purpose::wrap &&
      (rv == CKR_ATTRIBUTE_READ_ONLY || rv == CKR_ATTRIBUTE_TYPE_INVALID ||
       rv == CKR_TEMPLATE_INCONSISTENT)) {
    rv = try_generate_secret(session, key, purpose, false, handle);
  }
  if (rv != CKR_OK) return p11_error("C_GenerateKey", rv);
  if (auto recorded = add_key_record(session, key); !recorded) {
    session.fn()->C_DestroyObject(session.handle(), handle);
    return recorded.error();
  }
  return handle;
}

// CKA_START_DATE of the key, else of its public half, else the key record.
std::string read_created(Session& session, const Key& key) {
  for (CK_OBJECT_HANDLE object : {key.handle, key.public_handle}) {
    if (object == CK_INVALID_HANDLE) continue;
    auto date = get_bytes(session, object, CKA_START_DATE);
    if (date && date->size() == sizeof(CK_DATE))
      return format_date(*reinterpret_cast<const CK_DATE*>(date->data()));
  }
  Template match;
  match.ulong(CKA_CLASS, CKO_DATA).flag(CKA_TOKEN, true).bytes(CKA_LABEL, key.name);
  match.bytes(CKA_APPLICATION, kKeyRecordApplication);
  auto records = find_objects(session, match);
  if (!records || records->size() != 1) return "";
  auto value = get_bytes(session, records->front(), CKA_VALUE);
  constexpr std::string_view kPrefix = "created=";
  if (!value || value->compare(0, kPrefix.size(), kPrefix) != 0) return "";
  return value->substr(kPrefix.size());
}

Result<std::vector<CK_OBJECT_HANDLE>> token_objects(Session& session, std::string_view label,
                                                    CK_OBJECT_CLASS object_class) {
  Template match;
  match.flag(CKA_TOKEN, true).ulong(CKA_CLASS, object_class);
  if (!label.empty()) match.bytes(CKA_LABEL, label);
  return find_objects(session, match);
}

Result<Algorithm> ec_algorithm(Session& session, CK_OBJECT_HANDLE handle, CK_KEY_TYPE type) {
  auto params = get_bytes(session, handle, CKA_EC_PARAMS);
  if (!params) return params.error();
  if (type == CKK_EC && *params == kOidP256) return Algorithm::ec_p256;
  if (type == CKK_EC_EDWARDS && (*params == kOidEd25519 || *params == kNamedEd25519))
    return Algorithm::ed25519;
  return Algorithm::unknown;
}

Result<Algorithm> detect_algorithm(Session& session, CK_OBJECT_HANDLE handle) {
  auto type = get_ulong(session, handle, CKA_KEY_TYPE);
  if (!type) return type.error();
  if (*type == CKK_EC || *type == CKK_EC_EDWARDS) return ec_algorithm(session, handle, *type);
  if (*type == CKK_RSA) {
    auto modulus = get_bytes(session, handle, CKA_MODULUS);
    if (!modulus) return modulus.error();
    if (modulus->size() == 256) return Algorithm::rsa_2048;
    if (modulus->size() == 384) return Algorithm::rsa_3072;
    return Algorithm::unknown;
  }
  auto length = get_ulong(session, handle, CKA_VALUE_LEN);
  if (!length) return length.error();
  if (*type == CKK_AES && *length == 32) return Algorithm::aes_256;
  if (*type == CKK_GENERIC_SECRET && *length == 32) return Algorithm::hmac_sha256;
  return Algorithm::unknown;
}

}  // namespace

std::string_view algorithm_name(Algorithm algorithm) {
  for (const auto& [a, text] : kAlgorithms)
    if (a == algorithm) return text;
  return "unknown";
}

Result<Algorithm> parse_algorithm(std::string_view text) {
  for (const auto& [a, name] : kAlgorithms)
    if (name == text && a != Algorithm::unknown) return a;
  return Error{"unknown algorithm \"" + std::string(text) +
               "\" (expected ec-p256, rsa-2048, rsa-3072, ed25519, aes-256 or hmac-sha256)"};
}

Result<void> check_algorithm_for_purpose(Purpose purpose, Algorithm algorithm) {
  bool allowed = false;
  switch (purpose) {
    case Purpose::tls:
      allowed = algorithm == Algorithm::ec_p256 || is_rsa(algorithm);
      break;
    case Purpose::dkim:
      allowed = algorithm == Algorithm::ed25519 || is_rsa(algorithm);
      break;
    case Purpose::update:
      allowed =
          algorithm == Algorithm::ec_p256 || algorithm == Algorithm::ed25519 || is_rsa(algorithm);
      break;
    case Purpose::secret:
      allowed = algorithm == Algorithm::hmac_sha256;
      break;
    case Purpose::seal:
    case Purpose::wrap:
      allowed = algorithm == Algorithm::aes_256;
      break;
  }
  if (allowed) return {};
  return Error{"algorithm " + std::string(algorithm_name(algorithm)) +
               " is not allowed for purpose " + std::string(purpose_name(purpose))};
}

Result<Key> generate_key(Session& session, std::string_view name, Algorithm algorithm) {
  auto parsed = parse_key_name(name);
  if (!parsed) return parsed.error();
  const std::string context = "generate " + parsed->text;
  if (auto ok = check_algorithm_for_purpose(parsed->purpose, algorithm); !ok)
    return with_context(context, ok.error());
  if (find_key(session, name)) return Error{context + ": a key with this name exists"};

  auto id = new_key_id();
  if (!id) return with_context(context, id.error());
  const NewKey key{parsed->text, std::move(*id), today_utc()};
  const bool secret = algorithm == Algorithm::aes_256 || algorithm == Algorithm::hmac_sha256;
  auto handle = secret ? generate_secret(session, key, parsed->purpose)
                       : generate_pair(session, key, algorithm);
  if (!handle) return with_context(context, handle.error());
  return describe_key(session, *handle);
}

Result<Key> describe_key(Session& session, CK_OBJECT_HANDLE handle) {
  Key key;
  key.handle = handle;
  auto label = get_bytes(session, handle, CKA_LABEL);
  if (!label) return label.error();
  key.name = std::move(*label);
  auto algorithm = detect_algorithm(session, handle);
  if (!algorithm) return with_context("key " + key.name, algorithm.error());
  key.algorithm = *algorithm;
  if (auto trusted = get_bool(session, handle, CKA_TRUSTED)) key.trusted = *trusted;

  auto object_class = get_ulong(session, handle, CKA_CLASS);
  if (!object_class) return object_class.error();
  if (*object_class == CKO_PRIVATE_KEY) {
    auto pubs = token_objects(session, key.name, CKO_PUBLIC_KEY);
    if (!pubs) return pubs.error();
    if (pubs->size() == 1) key.public_handle = pubs->front();
  }
  key.created = read_created(session, key);
  return key;
}

Result<Key> find_key(Session& session, std::string_view name) {
  std::vector<CK_OBJECT_HANDLE> found;
  for (CK_OBJECT_CLASS c : {CKO_PRIVATE_KEY, CKO_SECRET_KEY}) {
    auto objects = token_objects(session, name, c);
    if (!objects) return objects.error();
    found.insert(found.end(), objects->begin(), objects->end());
  }
  if (found.empty()) return Error{"no key named \"" + std::string(name) + "\""};
  if (found.size() > 1)
    return Error{"key name \"" + std::string(name) + "\" is ambiguous (" +
                 std::to_string(found.size()) + " keys)"};
  return describe_key(session, found.front());
}

Result<std::vector<Key>> list_keys(Session& session) {
  std::vector<Key> keys;
  for (CK_OBJECT_CLASS c : {CKO_PRIVATE_KEY, CKO_SECRET_KEY}) {
    auto objects = token_objects(session, "", c);
    if (!objects) return objects.error();
    for (CK_OBJECT_HANDLE handle : *objects) {
      auto key = describe_key(session, handle);
      if (!key) return key.error();
      keys.push_back(std::move(*key));
    }
  }
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) { return a.name < b.name; });
  return keys;
}

Result<void> delete_key(Session& session, std::string_view name) {
  Template match;
  match.flag(CKA_TOKEN, true).bytes(CKA_LABEL, name);
  auto objects = find_objects(session, match);
  if (!objects) return objects.error();
  if (objects->empty()) return Error{"no key named \"" + std::string(name) + "\""};
  for (CK_OBJECT_HANDLE object : *objects) {
    const CK_RV rv = session.fn()->C_DestroyObject(session.handle(), object);
    if (rv != CKR_OK)
      return with_context("delete " + std::string(name), p11_error("C_DestroyObject", rv));
  }
  return {};
}

Result<DataKey> generate_data_key(Session& session, const Key& wrapping_key) {
  auto parsed = parse_key_name(wrapping_key.name);
  if (!parsed || parsed->purpose != Purpose::wrap)
    return Error{"data keys are wrapped by wrap/ keys, not \"" + wrapping_key.name + "\""};
  Template t;
  t.ulong(CKA_CLASS, CKO_SECRET_KEY)
      .ulong(CKA_KEY_TYPE, CKK_AES)
      .ulong(CKA_VALUE_LEN, 32)
      .flag(CKA_TOKEN, false)
      .flag(CKA_PRIVATE, true)
      .flag(CKA_SENSITIVE, true)
      .flag(CKA_EXTRACTABLE, true)
      .flag(CKA_WRAP_WITH_TRUSTED, wrapping_key.trusted)
      .flag(CKA_ENCRYPT, true)
      .flag(CKA_DECRYPT, true);
  CK_MECHANISM mechanism{CKM_AES_KEY_GEN, nullptr, 0};
  CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
  const CK_RV rv =
      session.fn()->C_GenerateKey(session.handle(), &mechanism, t.data(), t.size(), &handle);
  if (rv != CKR_OK) return with_context("data key", p11_error("C_GenerateKey", rv));
  return DataKey{handle, wrapping_key.trusted};
}

}  // namespace appliance::hsm
