// NAME
//   broker.cpp - key operations for the daemons.
#include "keyd/broker.h"

#include <fmt/format.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "common/admin.h"
#include "common/log.h"
#include "hsm/der.h"
#include "hsm/ops.h"
#include "hsm/pubkey.h"

namespace appliance::keyd {

Result<void> load_registry(Broker& broker) {
  auto session = hsm::Session::open(broker.token.module(), broker.token.slot());
  if (!session) return session.error();
  auto keys = hsm::list_keys(*session);
  if (!keys) return keys.error();
  std::vector<Registry::TokenKey> found;
  for (const hsm::Key& k : *keys)
    found.push_back({k.name, std::string(hsm::algorithm_name(k.algorithm)), k.created});
  return broker.registry.load(found);
}

ipc::Writer Worker::handle(const ipc::Message& message, const ipc::PeerCred& caller) {
  auto request = decode_request(message);
  if (!request) return error_reply(request.message());
  auto reply = dispatch(*request, caller);
  if (!reply) return error_reply(reply.message());
  return std::move(reply).value();
}

Result<ipc::Writer> Worker::dispatch(const Request& q, const ipc::PeerCred& caller) {
  Use use = use_of(q.type);
  // Check the right before anything else: a stranger learns nothing, not
  // even whether a key exists.
  std::string asked = use == Use::admin ? std::string() : q.key;
  caller_ = broker_.acl.caller_name(caller.uid);
  if (auto allowed = broker_.acl.check(caller.uid, asked, use); !allowed) {
    log::warning("security: key request denied", {{"event", "key_denied"},
                                                  {"uid", caller.uid},
                                                  {"pid", caller.pid},
                                                  {"request", ipc::type_name(q.type)},
                                                  {"key", q.key},
                                                  {"reason", allowed.message()}});
    return allowed.error();
  }
  if (use == Use::admin || use == Use::manage) return admin(q, caller);
  bool new_use = q.type == ipc::Type::key_sign || q.type == ipc::Type::key_seal ||
                 q.type == ipc::Type::key_new_data_key;
  auto name = resolve(q.key, new_use);
  if (!name) return name.error();
  // A family resolves within itself, so the purpose checked above holds.
  // Uses count private-key work only, not reads of the public half.
  if (q.type != ipc::Type::key_public) broker_.registry.record_use(*name);
  switch (q.type) {
    case ipc::Type::key_sign:
      return sign(q, *name);
    case ipc::Type::key_hmac:
    case ipc::Type::key_hmac_verify:
      return hmac(q, *name);
    case ipc::Type::key_seal:
      return seal(q, *name);
    case ipc::Type::key_unseal:
    case ipc::Type::key_unwrap:
      return unseal(q, *name);
    case ipc::Type::key_new_data_key:
      return data_key(q, *name);
    case ipc::Type::key_public:
      return public_key(*name);
    default:
      return make_error("not a key request");
  }
}

void Worker::drop_stale_cache() {
  if (cache_generation_ == broker_.registry.generation()) return;
  if (session_)
    for (const auto& [name, handle] : hot_)
      session_->fn()->C_DestroyObject(session_->handle(), handle);
  hot_.clear();
  keys_.clear();
  current_.clear();
  cache_generation_ = broker_.registry.generation();
}

// A family resolves to the same version until the registry changes (a
// rotation or retirement bumps its generation): no walk over every key per
// request.
Result<std::string> Worker::resolve(const std::string& key, bool for_new_use) {
  drop_stale_cache();
  if (auto it = current_.find(key); it != current_.end()) return it->second;
  auto name = broker_.registry.resolve(key, for_new_use);
  if (name && *name != key) current_.emplace(key, *name);
  return name;
}

Result<hsm::Session*> Worker::session() {
  if (!broker_.token.ready()) return make_error("token not open: " + broker_.token.reason());
  if (!session_) {
    auto s = hsm::Session::open(broker_.token.module(), broker_.token.slot());
    if (!s) return s.error();
    session_.emplace(std::move(s).value());
  }
  return &*session_;
}

Result<hsm::Key> Worker::key(const std::string& name) {
  drop_stale_cache();
  if (auto it = keys_.find(name); it != keys_.end()) return it->second;
  auto s = session();
  if (!s) return s.error();
  auto k = hsm::find_key(**s, name);
  if (!k) return k.error();
  keys_[name] = *k;
  return k;
}

Result<CK_OBJECT_HANDLE> Worker::hot(const std::string& name) {
  auto k = key(name);
  if (!k) return k.error();
  if (auto it = hot_.find(name); it != hot_.end()) return it->second;
  auto copy = hsm::hot_copy(*session_, k->handle);
  if (!copy) return k->handle;  // slower, still correct
  hot_[name] = *copy;
  return *copy;
}

namespace {

Result<void> scheme_fits(SignScheme scheme, hsm::Algorithm a, const std::string& name) {
  bool rsa = a == hsm::Algorithm::rsa_2048 || a == hsm::Algorithm::rsa_3072;
  bool fits = (scheme == SignScheme::ecdsa && a == hsm::Algorithm::ec_p256) ||
              (scheme == SignScheme::ed25519 && a == hsm::Algorithm::ed25519) ||
              (scheme != SignScheme::ecdsa && scheme != SignScheme::ed25519 && rsa);
  if (fits) return {};
  return make_error(fmt::format("key {} is {}; it cannot make this kind of signature", name,
                                hsm::algorithm_name(a)));
}

}  // namespace

Result<ipc::Writer> Worker::sign(const Request& q, const std::string& name) {
  auto k = key(name);
  if (!k) return k.error();
  if (auto fits = scheme_fits(q.scheme, k->algorithm, name); !fits) return fits.error();
  // A session copy of the private key: a token object costs SoftHSM a file
  // read per signature. Ed25519 (DKIM only, rare) stays on the token object.
  CK_OBJECT_HANDLE handle = k->handle;
  if (q.scheme != SignScheme::ed25519) {
    auto h = hot(name);
    if (!h) return h.error();
    handle = *h;
  }
  hsm::Session& s = *session_;
  Result<std::string> sig = make_error("no signature");
  switch (q.scheme) {
    case SignScheme::ecdsa:
      sig = hsm::ecdsa_sign_digest(s, handle, q.data);
      break;
    case SignScheme::rsa_pkcs1:
      sig = hsm::rsa_pkcs1_sign_digest_info(s, handle, q.data);
      break;
    case SignScheme::rsa_raw:
      sig = hsm::rsa_raw(s, handle, q.data);
      break;
    case SignScheme::ed25519:
      sig = hsm::ed25519_sign(s, handle, q.data);
      break;
    case SignScheme::rsa_pss: {
      auto hash = hsm::hash_for_size(q.data.size());
      if (!hash) return hash.error();
      sig = hsm::rsa_pss_sign_digest(s, handle, *hash, q.data);
      break;
    }
  }
  if (!sig) return sig.error();
  ipc::Writer w(ipc::Type::key_signature);
  w.str(name).bytes(*sig);
  return w;
}

Result<ipc::Writer> Worker::hmac(const Request& q, const std::string& name) {
  auto h = hot(name);
  if (!h) return h.error();
  if (q.type == ipc::Type::key_hmac_verify) {
    auto ok = hsm::hmac_sha256_verify(*session_, *h, q.data, q.extra);
    if (!ok) return ok.error();
    ipc::Writer w(ipc::Type::key_verified);
    w.boolean(*ok);
    return w;
  }
  auto mac = hsm::hmac_sha256(*session_, *h, q.data);
  if (!mac) return mac.error();
  ipc::Writer w(ipc::Type::key_mac);
  w.str(name).bytes(*mac);
  return w;
}

Result<ipc::Writer> Worker::seal(const Request& q, const std::string& name) {
  auto h = hot(name);
  if (!h) return h.error();
  auto sealed = hsm::seal(*session_, *h, q.data, q.extra);
  if (!sealed) return sealed.error();
  ipc::Writer w(ipc::Type::key_sealed);
  w.str(name).bytes(*sealed);
  return w;
}

Result<ipc::Writer> Worker::unseal(const Request& q, const std::string& name) {
  auto h = hot(name);
  if (!h) return h.error();
  auto plain = hsm::unseal(*session_, *h, q.data, q.extra);
  if (!plain) return plain.error();
  ipc::Writer w(ipc::Type::key_plaintext);
  w.bytes(plain->reveal());
  return w;
}

Result<ipc::Writer> Worker::data_key(const Request& q, const std::string& name) {
  auto h = hot(name);
  if (!h) return h.error();
  std::string raw(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), 32) != 1)
    return make_error("no randomness for a data key");
  Secret key(std::move(raw));
  auto wrapped = hsm::seal(*session_, *h, key.reveal(), q.extra);
  if (!wrapped) return wrapped.error();
  ipc::Writer w(ipc::Type::key_data_key);
  w.str(name).bytes(key.reveal()).bytes(*wrapped);
  return w;
}

Result<ipc::Writer> Worker::public_key(const std::string& name) {
  auto k = key(name);
  if (!k) return k.error();
  if (k->public_handle == CK_INVALID_HANDLE)
    return make_error(fmt::format("key {} is a secret key; it has no public half", name));
  auto pub = hsm::public_key(*session_, *k);
  if (!pub) return pub.error();
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(pub->get(), &der);
  if (len <= 0) return make_error("cannot encode the public key");
  std::string spki(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  auto info = broker_.registry.info(name);
  if (!info) return info.error();
  ipc::Writer w(ipc::Type::key_public_reply);
  write_info(w, *info);
  w.bytes(spki).bytes(broker_.registry.chain(name));
  return w;
}

}  // namespace appliance::keyd
