// NAME
//   server_context.cpp - TLS server policy and SNI dispatch between
//   per-hostname contexts.
//
// DESCRIPTION
//   Each context carries its hostname in ex_data; the front also carries the
//   table of the others, which holds a reference on each. Both are freed by
//   OpenSSL with the context, so no C++ object has to outlive a connection.
#include "tls/server_context.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <algorithm>
#include <cctype>

namespace appliance::tls {
namespace {

// TLS 1.2: ECDHE and AEAD only, AES-GCM first (AES-NI), then ChaCha20.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kGroups = "X25519:P-256:P-384";

// The other hostnames of a front context, each holding a reference.
struct HostTable {
  std::vector<std::pair<std::string, SSL_CTX*>> hosts;
  ~HostTable() {
    for (auto& [name, ctx] : hosts) SSL_CTX_free(ctx);
  }
};

void free_hostname(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<std::string*>(ptr);
}

void free_table(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<HostTable*>(ptr);
}

int hostname_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, free_hostname);
  return index;
}

int table_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, free_table);
  return index;
}

// SNI: move the connection to the named host's context. A C callback:
// nothing here throws (no allocation but the normalised name's).
int choose_host(SSL* ssl, int*, void* arg) noexcept {
  const auto* table = static_cast<const HostTable*>(arg);
  const char* sent = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (!sent || !table) return SSL_TLSEXT_ERR_NOACK;
  try {
    std::string name = normalise_hostname(sent);
    if (auto* front =
            static_cast<std::string*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), hostname_index()));
        front && *front == name)
      return SSL_TLSEXT_ERR_OK;
    for (const auto& [host, ctx] : table->hosts)
      if (host == name)
        return SSL_set_SSL_CTX(ssl, ctx) ? SSL_TLSEXT_ERR_OK : SSL_TLSEXT_ERR_ALERT_FATAL;
  } catch (...) {
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  return SSL_TLSEXT_ERR_NOACK;  // not ours: the default certificate serves
}

Result<void> set_hostname(SSL_CTX* ctx, const std::string& hostname) {
  auto owned = std::make_unique<std::string>(hostname);
  if (SSL_CTX_set_ex_data(ctx, hostname_index(), owned.get()) != 1)
    return hsm::openssl_error("SSL_CTX ex_data");
  owned.release();  // freed with ctx
  return {};
}

Result<void> use_credential(SSL_CTX* ctx, const Credential& c) {
  if (c.chain.empty()) return make_error(c.hostname + ": no certificate");
  if (SSL_CTX_use_certificate(ctx, c.chain.front().get()) != 1)
    return hsm::openssl_error(c.hostname + ": certificate");
  for (std::size_t i = 1; i < c.chain.size(); ++i)
    if (SSL_CTX_add1_chain_cert(ctx, c.chain[i].get()) != 1)
      return hsm::openssl_error(c.hostname + ": chain certificate");
  if (SSL_CTX_use_PrivateKey(ctx, c.key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1)
    return hsm::openssl_error(c.hostname + ": key " + c.key_name);
  return set_hostname(ctx, c.hostname);
}

Result<SslCtxPtr> host_context(const Credential& c) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return hsm::openssl_error("SSL_CTX_new");
  if (auto p = apply_server_policy(ctx.get()); !p) return p.error();
  if (auto u = use_credential(ctx.get(), c); !u) return u.error();
  return ctx;
}

Result<void> check_distinct(const std::vector<const Credential*>& credentials) {
  if (credentials.empty()) return make_error("no hostname to serve");
  for (std::size_t i = 0; i < credentials.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (credentials[i]->hostname == credentials[j]->hostname)
        return make_error("hostname served twice: " + credentials[i]->hostname);
  return {};
}

}  // namespace

Result<void> apply_server_policy(SSL_CTX* ctx) {
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1)
    return hsm::openssl_error("TLS versions");
  if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1)
    return hsm::openssl_error("TLS 1.2 cipher list");
  if (SSL_CTX_set1_groups_list(ctx, kGroups) != 1) return hsm::openssl_error("groups");
  SSL_CTX_set_security_level(ctx, 2);
  // OpenSSL 3.0 already refuses client-initiated renegotiation unless
  // SSL_OP_ALLOW_CLIENT_RENEGOTIATION; NO_RENEGOTIATION also stops ours.
  SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION |
                               SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  if (SSL_CTX_set_num_tickets(ctx, 0) != 1) return hsm::openssl_error("TLS 1.3 tickets");
  return {};
}

Result<SslCtxPtr> make_server_context(const std::vector<const Credential*>& credentials) {
  if (auto d = check_distinct(credentials); !d) return d.error();
  auto front = host_context(*credentials.front());
  if (!front) return front.error();
  auto table = std::make_unique<HostTable>();
  for (std::size_t i = 1; i < credentials.size(); ++i) {
    auto ctx = host_context(*credentials[i]);
    if (!ctx) return ctx.error();
    table->hosts.emplace_back(credentials[i]->hostname, ctx->release());
  }
  SSL_CTX_set_tlsext_servername_callback(front->get(), choose_host);
  SSL_CTX_set_tlsext_servername_arg(front->get(), table.get());
  if (SSL_CTX_set_ex_data(front->get(), table_index(), table.get()) != 1)
    return hsm::openssl_error("SSL_CTX ex_data");
  table.release();  // freed with the front
  return front;
}

std::string served_hostname(const SSL* ssl) {
  const auto* name =
      static_cast<const std::string*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), hostname_index()));
  return name ? *name : std::string();
}

std::string normalise_hostname(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  std::string out(name);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Result<std::vector<hsm::X509Ptr>> parse_chain(std::string_view pem) {
  hsm::BioPtr bio = hsm::memory_bio(pem);
  std::vector<hsm::X509Ptr> chain;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
    chain.emplace_back(cert);
  ERR_clear_error();  // the end of the input reads as an error
  if (chain.empty()) return make_error("no certificate in the chain");
  return chain;
}

Result<Credential> make_credential(std::string_view hostname, std::string key_name,
                                   hsm::EvpPkeyPtr key, std::string chain_pem) {
  Credential c;
  c.hostname = normalise_hostname(hostname);
  c.key_name = std::move(key_name);
  auto chain = parse_chain(chain_pem);
  if (!chain) return make_error(c.key_name + ": " + chain.message());
  if (!key || EVP_PKEY_eq(X509_get0_pubkey(chain->front().get()), key.get()) != 1) {
    ERR_clear_error();
    return make_error(c.key_name + ": the certificate does not hold this key's public half");
  }
  c.chain_pem = std::move(chain_pem);
  c.key = std::move(key);
  c.chain = std::move(chain).value();
  return c;
}

}  // namespace appliance::tls
