// NAME
//   fake_key_service.cpp - in-memory keys that sign like keyd's.
#include "tls/testing/fake_key_service.h"

#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "hsm/cert.h"

namespace appliance::tls::testing {
namespace {

Result<std::string> raw_sign(EVP_PKEY* key, keyd::SignScheme scheme, std::string_view input) {
  hsm::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new(key, nullptr));
  if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1) return hsm::openssl_error("sign init");
  if (scheme == keyd::SignScheme::rsa_pkcs1 &&
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1)
    return hsm::openssl_error("padding");
  if (scheme == keyd::SignScheme::rsa_raw &&
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING) != 1)
    return hsm::openssl_error("padding");
  const auto* in = reinterpret_cast<const unsigned char*>(input.data());
  std::size_t size = 0;
  if (EVP_PKEY_sign(ctx.get(), nullptr, &size, in, input.size()) != 1)
    return hsm::openssl_error("sign size");
  std::string sig(size, '\0');
  if (EVP_PKEY_sign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &size, in,
                    input.size()) != 1)
    return hsm::openssl_error("sign");
  sig.resize(size);
  return sig;
}

std::string spki_of(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(key, &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len > 0 ? len : 0));
  OPENSSL_free(der);
  return out;
}

}  // namespace

hsm::EvpPkeyPtr generate_key(int type) {
  if (type == EVP_PKEY_RSA)
    return hsm::EvpPkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048}));
  return hsm::EvpPkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

std::string FakeKeyService::add_version(const std::string& family, const std::string& hostname,
                                        int type) {
  Version v;
  v.type = type;
  v.key = generate_key(type);
  auto cert = hsm::make_self_signed(v.key.get(), hostname);
  auto pem = cert ? hsm::certificate_to_pem(cert->get()) : Result<std::string>(cert.error());
  v.chain_pem = pem ? *pem : std::string();
  std::lock_guard lock(mutex_);
  auto& versions = families_[family];
  v.name = family + "/v" + std::to_string(versions.size() + 1);
  versions.push_back(std::move(v));
  return versions.back().name;
}

std::string FakeKeyService::add(const std::string& hostname, int type) {
  return add_version("tls/" + hostname, hostname, type);
}

std::string FakeKeyService::rotate(const std::string& hostname) {
  int type = 0;
  {
    std::lock_guard lock(mutex_);
    type = families_.at("tls/" + hostname).back().type;
  }
  return add_version("tls/" + hostname, hostname, type);
}

hsm::X509Ptr FakeKeyService::certificate(const std::string& hostname) {
  std::lock_guard lock(mutex_);
  hsm::BioPtr bio = hsm::memory_bio(families_.at("tls/" + hostname).back().chain_pem);
  return hsm::X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

const FakeKeyService::Version* FakeKeyService::find(const std::string& name) const {
  if (auto f = families_.find(name); f != families_.end()) return &f->second.back();
  for (const auto& [family, versions] : families_)
    for (const Version& v : versions)
      if (v.name == name) return &v;
  return nullptr;
}

Result<keyd::PublicKey> FakeKeyService::public_key(const std::string& name) {
  ++public_key_calls;
  if (fail_public) return make_error("permission denied: uid 4242 may not read the public key");
  std::lock_guard lock(mutex_);
  const Version* v = find(name);
  if (!v) return make_error("no key " + name);
  keyd::PublicKey out;
  out.info.name = v->name;
  out.info.algorithm = v->type == EVP_PKEY_RSA ? "rsa-2048" : "ec-p256";
  out.info.has_certificate = true;
  out.spki_der = spki_of(v->key.get());
  out.chain_pem = v->chain_pem;
  return out;
}

Result<keyd::Signed> FakeKeyService::sign(const std::string& key, keyd::SignScheme scheme,
                                          std::string_view input) {
  if (fail_sign) return make_error("permission denied: uid 4242 may not sign with " + key);
  EVP_PKEY* pkey = nullptr;
  {
    std::lock_guard lock(mutex_);
    const Version* v = find(key);
    if (!v) return make_error("no key " + key);
    pkey = v->key.get();  // versions are never removed
  }
  auto sig = raw_sign(pkey, scheme, input);
  if (!sig) return sig.error();
  ++signatures;
  return keyd::Signed{key, std::move(sig).value()};
}

}  // namespace appliance::tls::testing
