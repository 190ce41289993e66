// NAME
//   broker_admin.cpp - key administration: generate, rotate, import, CSR,
//   certificates, retire, delete, list. Root; webd only what acl.h lets it
//   manage (tls and dkim keys, never import or delete).
#include <fmt/format.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <ctime>

#include "common/log.h"
#include "hsm/cert.h"
#include "hsm/import.h"
#include "hsm/key_name.h"
#include "hsm/pubkey.h"
#include "hsm/token_signer.h"
#include "keyd/broker.h"

namespace appliance::keyd {
namespace {

ipc::Writer info_reply(const KeyInfo& info) {
  ipc::Writer w(ipc::Type::key_info);
  write_info(w, info);
  return w;
}

// The host name of a tls key: "tls/mail.example.test/v2" -> "mail.example.test".
std::string tls_host(const std::string& name) {
  auto first = name.find('/');
  return name.substr(first + 1, name.rfind('/') - first - 1);
}

// DKIM selectors are dated: s20261122, then s20261122b, c, ...
std::string next_dkim_selector(const Registry& registry, const std::string& family) {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char date[16];
  std::strftime(date, sizeof date, "%Y%m%d", &tm);
  std::string base = fmt::format("{}/s{}", family, date);
  std::string name = base;
  for (char suffix = 'b'; registry.info(name).ok() && suffix <= 'z'; ++suffix) name = base + suffix;
  return name;
}

Result<std::vector<hsm::X509Ptr>> parse_chain(const std::string& pem) {
  std::vector<hsm::X509Ptr> out;
  auto bio = hsm::memory_bio(pem);
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) out.emplace_back(cert);
  if (out.empty()) return make_error("bad PEM: no certificate found");
  return out;
}

}  // namespace

Result<ipc::Writer> Worker::admin(const Request& q, const ipc::PeerCred& caller) {
  log::info("key administration",
            {{"request", ipc::type_name(q.type)}, {"key", q.key}, {"caller", caller_}});
  switch (q.type) {
    case ipc::Type::key_list: {
      auto keys = broker_.registry.list();
      std::erase_if(keys, [&](const KeyInfo& k) { return !broker_.acl.lists(caller.uid, k.name); });
      ipc::Writer w(ipc::Type::key_list_reply);
      w.u32(static_cast<std::uint32_t>(keys.size()));
      for (const KeyInfo& k : keys) write_info(w, k);
      return w;
    }
    case ipc::Type::key_generate: return generate(q.key, q.extra);
    case ipc::Type::key_rotate: {
      auto family = hsm::parse_key_name(q.key + "/v1");
      if (!family) return family.error();
      std::string current = broker_.registry.current(q.key);
      std::string algorithm = q.extra;
      if (algorithm.empty()) {
        if (current.empty())
          return make_error(fmt::format("{} has no key yet; name an algorithm", q.key));
        algorithm = *broker_.registry.algorithm(current);
      }
      std::string name = family->purpose == hsm::Purpose::dkim
                             ? next_dkim_selector(broker_.registry, q.key)
                             : broker_.registry.next_version(q.key);
      return generate(name, algorithm);
    }
    case ipc::Type::key_import: return import(q);
    case ipc::Type::key_csr: return csr(q);
    case ipc::Type::key_set_certificate: return set_certificate(q);
    case ipc::Type::key_retire: {
      if (auto r = broker_.registry.retire(q.key); !r) return r.error();
      log::info("security: key retired",
                {{"event", "key_retired"}, {"key", q.key}, {"caller", caller_}});
      return info_reply(*broker_.registry.info(q.key));
    }
    case ipc::Type::key_delete: return remove(q);
    default: return make_error("not an administrative request");
  }
}

Result<ipc::Writer> Worker::generate(const std::string& name, const std::string& algorithm) {
  auto parsed = hsm::parse_key_name(name);
  if (!parsed) return parsed.error();
  auto alg = hsm::parse_algorithm(algorithm);
  if (!alg) return alg.error();
  auto s = session();
  if (!s) return s.error();
  auto made = hsm::generate_key(**s, name, *alg);
  if (!made) return made.error();
  if (auto added = broker_.registry.add({name, algorithm, made->created}); !added)
    return added.error();
  // A tls key can serve at once: it gets a self-signed certificate until an
  // operator installs one signed by a CA.
  if (parsed->purpose == hsm::Purpose::tls) {
    auto signer = hsm::token_signer_key(**s, *made);
    if (!signer) return signer.error();
    auto cert = hsm::make_self_signed(signer->get(), tls_host(name));
    if (!cert) return cert.error();
    auto pem = hsm::certificate_to_pem(cert->get());
    if (!pem) return pem.error();
    if (auto set = broker_.registry.set_chain(name, *pem); !set) return set.error();
  }
  log::info("security: key generated", {{"event", "key_generated"}, {"key", name},
                                        {"algorithm", algorithm}, {"caller", caller_}});
  return info_reply(*broker_.registry.info(name));
}

Result<ipc::Writer> Worker::import(const Request& q) {
  auto parsed = hsm::parse_key_name(q.key);
  if (!parsed) return parsed.error();
  auto s = session();
  if (!s) return s.error();
  std::string chain;
  Result<hsm::Key> key = make_error("no key");
  if (q.format == ImportFormat::pem) {
    key = hsm::import_pem(**s, q.key, q.data, q.password);
  } else if (q.format == ImportFormat::pkcs8) {
    key = hsm::import_pkcs8(**s, q.key, q.data, q.password);
  } else {
    auto p12 = hsm::import_pkcs12(**s, q.key, q.data, q.password);
    if (!p12) return p12.error();
    key = p12->key;
    for (const auto& cert : p12->certificates)
      if (auto pem = hsm::certificate_to_pem(cert.get()); pem) chain += *pem;
  }
  if (!key) return key.error();
  std::string algorithm(hsm::algorithm_name(key->algorithm));
  if (auto added = broker_.registry.add({q.key, algorithm, key->created}); !added)
    return added.error();
  if (!chain.empty())
    if (auto set = broker_.registry.set_chain(q.key, chain); !set) return set.error();
  log::info("security: key imported", {{"event", "key_imported"}, {"key", q.key}, {"caller", caller_}});
  return info_reply(*broker_.registry.info(q.key));
}

Result<ipc::Writer> Worker::csr(const Request& q) {
  auto k = key(q.key);
  if (!k) return k.error();
  auto signer = hsm::token_signer_key(*session_, *k);
  if (!signer) return signer.error();
  std::string cn = q.extra.empty() ? tls_host(q.key) : q.extra;
  std::vector<std::string> dns = q.dns_names.empty() ? std::vector<std::string>{cn} : q.dns_names;
  auto request = hsm::make_csr(signer->get(), cn, dns);
  if (!request) return request.error();
  auto pem = hsm::csr_to_pem(request->get());
  if (!pem) return pem.error();
  log::info("security: certificate request made",
            {{"event", "csr_made"}, {"key", q.key}, {"caller", caller_}});
  ipc::Writer w(ipc::Type::key_pem);
  w.str(*pem);
  return w;
}

Result<ipc::Writer> Worker::set_certificate(const Request& q) {
  auto k = key(q.key);
  if (!k) return k.error();
  auto chain = parse_chain(q.data);
  if (!chain) return chain.error();
  auto pub = hsm::public_key(*session_, *k);
  if (!pub) return pub.error();
  EVP_PKEY* cert_key = X509_get0_pubkey(chain->front().get());
  if (!cert_key || EVP_PKEY_eq(cert_key, pub->get()) != 1)
    return make_error(fmt::format("the certificate's public key is not that of {}", q.key));
  std::string pem;
  for (const auto& cert : *chain) pem += *hsm::certificate_to_pem(cert.get());
  if (auto set = broker_.registry.set_chain(q.key, pem); !set) return set.error();
  log::info("security: certificate installed",
            {{"event", "certificate_set"}, {"key", q.key}, {"caller", caller_}});
  return info_reply(*broker_.registry.info(q.key));
}

Result<ipc::Writer> Worker::remove(const Request& q) {
  if (!broker_.registry.info(q.key)) return make_error(fmt::format("no key named {}", q.key));
  std::string family = family_of(q.key);
  bool serving = (q.key.starts_with("tls/") || q.key.starts_with("dkim/")) &&
                 broker_.registry.current(family) == q.key;
  if (serving && !q.force)
    return make_error(fmt::format("key in use: {} is the current key of {}; rotate first, or force",
                                  q.key, family));
  auto s = session();
  if (!s) return s.error();
  if (auto gone = hsm::delete_key(**s, q.key); !gone) return gone.error();
  if (auto r = broker_.registry.remove(q.key); !r) return r.error();
  log::info("security: key deleted", {{"event", "key_deleted"}, {"key", q.key}, {"caller", caller_}});
  return ipc::Writer(ipc::Type::key_done);
}

}  // namespace appliance::keyd
