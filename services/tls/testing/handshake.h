// NAME
//   handshake.h - an in-memory TLS handshake against a server context, for
//   unit tests: client and server in one thread over a BIO pair.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "hsm/ossl.h"

namespace appliance::tls::testing {

using SslSessionPtr = std::unique_ptr<SSL_SESSION, hsm::OsslDeleter<SSL_SESSION_free>>;

struct ClientSpec {
  int min_version = TLS1_2_VERSION;
  int max_version = TLS1_3_VERSION;
  const char* ciphers = nullptr;  // TLS 1.2 and below; nullptr: OpenSSL's default
  const char* sigalgs = nullptr;
  const char* servername = nullptr;  // SNI; nullptr: none
  SSL_SESSION* resume = nullptr;     // offer this session
};

struct Outcome {
  bool ok = false;
  std::string error;  // "client: ..." or "server: ..."
  hsm::X509Ptr peer;  // the certificate the client got
  int version = 0;
  std::string cipher;
  std::string served;  // served_hostname() on the server side
  int signature_nid = NID_undef;
  bool reused = false;
  SslSessionPtr session;  // the client's session, to offer again
};

// Runs one handshake, then one line from server to client.
Outcome handshake(SSL_CTX* server_ctx, const ClientSpec& spec);
// The same, with a server SSL made earlier from an older context.
Outcome handshake(SSL* server, const ClientSpec& spec);

}  // namespace appliance::tls::testing
