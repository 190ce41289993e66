// NAME
//   handshake.cpp - in-memory handshakes for the TLS unit tests.
#include "tls/testing/handshake.h"

#include <openssl/err.h>

#include "tls/server_context.h"

namespace appliance::tls::testing {
namespace {

SslCtxPtr client_context(const ClientSpec& spec) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  // Level 0, so that a TLS 1.1 or weak offer is refused by the server under
  // test, not by this client.
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_min_proto_version(ctx.get(), spec.min_version);
  SSL_CTX_set_max_proto_version(ctx.get(), spec.max_version);
  if (spec.ciphers) SSL_CTX_set_cipher_list(ctx.get(), spec.ciphers);
  if (spec.sigalgs) SSL_CTX_set1_sigalgs_list(ctx.get(), spec.sigalgs);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  return ctx;
}

std::string error_text(const char* side) {
  std::string text = side;
  unsigned long code = 0;
  const char* data = nullptr;
  int flags = 0;
  while ((code = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    text += std::string(" ") + buf;
    if (data && *data && (flags & ERR_TXT_STRING)) text += std::string(" (") + data + ")";
  }
  return text;
}

// Drives both ends until both are done; false with `error` set otherwise.
bool drive(SSL* client, SSL* server, std::string& error) {
  bool client_done = false, server_done = false;
  for (int round = 0; round < 20 && !(client_done && server_done); ++round) {
    for (auto [ssl, done] : {std::pair{client, &client_done}, std::pair{server, &server_done}}) {
      if (*done) continue;
      const int rc = SSL_do_handshake(ssl);
      if (rc == 1) {
        *done = true;
        continue;
      }
      const int e = SSL_get_error(ssl, rc);
      if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
        error = error_text(ssl == client ? "client:" : "server:");
        return false;
      }
    }
  }
  if (!(client_done && server_done)) error = "handshake did not finish";
  return client_done && server_done;
}

void describe(SSL* client, SSL* server, Outcome& out) {
  out.peer.reset(SSL_get1_peer_certificate(client));
  out.version = SSL_version(client);
  out.cipher = SSL_CIPHER_get_name(SSL_get_current_cipher(client));
  out.served = served_hostname(server);
  SSL_get_peer_signature_type_nid(client, &out.signature_nid);
  out.reused = SSL_session_reused(client) == 1;
  // TLS 1.3 tickets arrive after the handshake: read once to take them in.
  const std::string line = "hello\n";
  SSL_write(server, line.data(), static_cast<int>(line.size()));
  char buf[16];
  SSL_read(client, buf, sizeof buf);
  out.session.reset(SSL_get1_session(client));
}

}  // namespace

Outcome handshake(SSL* server, const ClientSpec& spec) {
  Outcome out;
  SslCtxPtr client_ctx = client_context(spec);
  SslPtr client(SSL_new(client_ctx.get()));
  if (spec.servername) SSL_set_tlsext_host_name(client.get(), spec.servername);
  if (spec.resume) SSL_set_session(client.get(), spec.resume);
  BIO *client_bio = nullptr, *server_bio = nullptr;
  BIO_new_bio_pair(&client_bio, 0, &server_bio, 0);
  SSL_set_bio(client.get(), client_bio, client_bio);
  SSL_set_bio(server, server_bio, server_bio);
  SSL_set_connect_state(client.get());
  SSL_set_accept_state(server);
  out.ok = drive(client.get(), server, out.error);
  if (out.ok) describe(client.get(), server, out);
  ERR_clear_error();
  return out;
}

Outcome handshake(SSL_CTX* server_ctx, const ClientSpec& spec) {
  SslPtr server(SSL_new(server_ctx));
  return handshake(server.get(), spec);
}

}  // namespace appliance::tls::testing
