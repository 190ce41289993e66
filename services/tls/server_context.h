// NAME
//   server_context.h - the appliance's TLS server policy, and one SSL_CTX
//   that serves several hostnames, each with its own certificate and key.
//
// DESCRIPTION
//   apply_server_policy() sets what every TLS listener of the appliance
//   offers:
//     - TLS 1.2 and 1.3 only;
//     - TLS 1.2: ECDHE key exchange with AES-GCM or CHACHA20-POLY1305 only
//       (forward secret, AEAD); TLS 1.3: OpenSSL's default suites, all of
//       which are forward secret;
//     - groups X25519, P-256, P-384; security level 2 (RSA >= 2048 bits);
//     - the server's order of preference, not the client's;
//     - no compression, no renegotiation;
//     - no resumption: no session tickets and no session cache. Ticket keys
//       would be a long-lived secret in the process that parses network
//       input, which by design holds none, and a stolen ticket key would undo
//       forward secrecy. The price is one signature in keyd per connection.
//
//   make_server_context() builds one SSL_CTX per Credential and returns the
//   first one, the front: hand it to SSL_new(). Its SNI callback moves a
//   connection to the context of the hostname the client named (compared
//   without case, a trailing dot ignored). With no SNI, or a name not
//   served, the first credential serves and the name is not acknowledged.
//   The front owns the others (through its ex_data): they live as long as a
//   connection made from it, so a replaced front can be dropped at any time.
//
// THREADS
//   The returned context is immutable; any number of threads may SSL_new()
//   from it and handshake at once, provided each Credential's key may sign
//   from several threads (signer keys through keyd can).
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "hsm/ossl.h"

namespace appliance::tls {

using SslCtxPtr = std::unique_ptr<SSL_CTX, hsm::OsslDeleter<SSL_CTX_free>>;
using SslPtr = std::unique_ptr<SSL, hsm::OsslDeleter<SSL_free>>;

// What one hostname serves. `key` is usually a signer key whose private
// operation happens in keyd; the benchmark also serves an in-process PEM key.
struct Credential {
  std::string hostname;   // lower case, no trailing dot
  std::string key_name;   // "tls/mail.example.test/v2", or a file name
  std::string chain_pem;  // as read, to notice a new certificate
  hsm::EvpPkeyPtr key;
  std::vector<hsm::X509Ptr> chain;  // leaf first
};

Result<void> apply_server_policy(SSL_CTX* ctx);

// The front context for `credentials` (at least one; hostnames distinct).
Result<SslCtxPtr> make_server_context(const std::vector<const Credential*>& credentials);

// The hostname whose certificate a connection serves (after the handshake
// has read the ClientHello); "" for a context not made here.
std::string served_hostname(const SSL* ssl);

// "Mail.Example.TEST." -> "mail.example.test".
std::string normalise_hostname(std::string_view name);

// A PEM certificate chain, leaf first; an error if there is none.
Result<std::vector<hsm::X509Ptr>> parse_chain(std::string_view pem);

// A credential from a key and a PEM chain: checks that the leaf certificate
// holds the key's public half.
Result<Credential> make_credential(std::string_view hostname, std::string key_name,
                                   hsm::EvpPkeyPtr key, std::string chain_pem);

}  // namespace appliance::tls
