// NAME
//   tls_test.cpp - in-process TLS 1.3 and 1.2 handshakes whose server key
//   signs in the token through a signer key.
//
// DESCRIPTION
//   Client and server run in one thread over a BIO pair. The client trusts
//   only the self-signed certificate (itself signed in the token) and checks
//   the host name. The signer callback counts its calls, so a handshake that
//   somehow used another key would fail the test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <map>

#include "hsm/cert.h"
#include "hsm/keys.h"
#include "hsm/pubkey.h"
#include "hsm/test_token.h"
#include "hsm/token_signer.h"

namespace appliance::hsm {
namespace {

using testing::TestToken;
using testing::TokenTest;

using SslCtxPtr = std::unique_ptr<SSL_CTX, OsslDeleter<SSL_CTX_free>>;
using SslPtr = std::unique_ptr<SSL, OsslDeleter<SSL_free>>;

constexpr const char* kHost = "mail.example.com";

struct TlsCase {
  const char* test_name;
  Algorithm algorithm;
  int version;
  const char* client_sigalgs;  // nullptr: OpenSSL's defaults
  int expected_signature_nid;  // as the client saw it
};

const TlsCase kCases[] = {
    {"EcP256Tls13", Algorithm::ec_p256, TLS1_3_VERSION, nullptr, EVP_PKEY_EC},
    {"EcP256Tls12", Algorithm::ec_p256, TLS1_2_VERSION, nullptr, EVP_PKEY_EC},
    {"Rsa2048Tls13Pss", Algorithm::rsa_2048, TLS1_3_VERSION, nullptr, EVP_PKEY_RSA_PSS},
    {"Rsa2048Tls12Pss", Algorithm::rsa_2048, TLS1_2_VERSION, nullptr, EVP_PKEY_RSA_PSS},
    {"Rsa2048Tls12Pkcs1", Algorithm::rsa_2048, TLS1_2_VERSION, "RSA+SHA256", EVP_PKEY_RSA},
};

class TlsTest : public TokenTest, public ::testing::WithParamInterface<TlsCase> {
 protected:
  static void SetUpTestSuite() {
    auto session = TestToken::get().session();
    ASSERT_OK(session);
    for (Algorithm a : {Algorithm::ec_p256, Algorithm::rsa_2048}) {
      auto key = generate_key(*session, "tls/" + std::string(algorithm_name(a)) + ".example/v1", a);
      ASSERT_OK(key);
      keys()[a] = *key;
    }
  }
  static std::map<Algorithm, Key>& keys() {
    static std::map<Algorithm, Key> made;
    return made;
  }

  // A signer key that signs in the token and counts how often it is asked.
  EvpPkeyPtr counting_signer(const Key& key) {
    auto pub = public_key(session(), key);
    EXPECT_TRUE(pub.ok()) << pub.message();
    SignCallback in_token = token_sign_callback(session(), key);
    auto signer = make_signer_key(pub->get(), [this, in_token](const SignRequest& request) {
      ++signatures_;
      return in_token(request);
    });
    EXPECT_TRUE(signer.ok()) << signer.message();
    return std::move(signer).value();
  }

  int signatures_ = 0;
};

SslCtxPtr server_context(const TlsCase& c, X509* cert, EVP_PKEY* key) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  SSL_CTX_set_min_proto_version(ctx.get(), c.version);
  SSL_CTX_set_max_proto_version(ctx.get(), c.version);
  EXPECT_EQ(SSL_CTX_use_certificate(ctx.get(), cert), 1);
  EXPECT_EQ(SSL_CTX_use_PrivateKey(ctx.get(), key), 1);
  EXPECT_EQ(SSL_CTX_check_private_key(ctx.get()), 1);
  return ctx;
}

SslCtxPtr client_context(const TlsCase& c, X509* trusted) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  SSL_CTX_set_min_proto_version(ctx.get(), c.version);
  SSL_CTX_set_max_proto_version(ctx.get(), c.version);
  X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx.get()), trusted);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  if (c.client_sigalgs) {
    EXPECT_EQ(SSL_CTX_set1_sigalgs_list(ctx.get(), c.client_sigalgs), 1);
  }
  return ctx;
}

// Drives both ends until both have finished; false on any hard error.
bool handshake(SSL* client, SSL* server) {
  bool client_done = false, server_done = false;
  for (int round = 0; round < 20 && !(client_done && server_done); ++round) {
    for (auto [ssl, done] : {std::pair{client, &client_done}, std::pair{server, &server_done}}) {
      if (*done) continue;
      const int rc = SSL_do_handshake(ssl);
      if (rc == 1) {
        *done = true;
        continue;
      }
      const int error = SSL_get_error(ssl, rc);
      if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
        char text[256];
        ERR_error_string_n(ERR_get_error(), text, sizeof text);
        ADD_FAILURE() << (ssl == client ? "client: " : "server: ") << text;
        return false;
      }
    }
  }
  return client_done && server_done;
}

TEST_P(TlsTest, HandshakeSignsInTheToken) {
  const TlsCase& c = GetParam();
  EvpPkeyPtr signer = counting_signer(keys().at(c.algorithm));
  auto cert = make_self_signed(signer.get(), kHost);
  ASSERT_OK(cert);
  const int for_certificate = signatures_;
  EXPECT_EQ(for_certificate, 1);

  SslCtxPtr server_ctx = server_context(c, cert->get(), signer.get());
  SslCtxPtr client_ctx = client_context(c, cert->get());
  SslPtr server(SSL_new(server_ctx.get()));
  SslPtr client(SSL_new(client_ctx.get()));
  SSL_set_tlsext_host_name(client.get(), kHost);
  SSL_set1_host(client.get(), kHost);
  BIO *client_bio = nullptr, *server_bio = nullptr;
  ASSERT_EQ(BIO_new_bio_pair(&client_bio, 0, &server_bio, 0), 1);
  SSL_set_bio(client.get(), client_bio, client_bio);
  SSL_set_bio(server.get(), server_bio, server_bio);
  SSL_set_connect_state(client.get());
  SSL_set_accept_state(server.get());

  ASSERT_TRUE(handshake(client.get(), server.get()));
  EXPECT_EQ(SSL_get_verify_result(client.get()), X509_V_OK);
  EXPECT_EQ(SSL_version(client.get()), c.version);
  int nid = NID_undef;
  ASSERT_EQ(SSL_get_peer_signature_type_nid(client.get(), &nid), 1);
  EXPECT_EQ(nid, c.expected_signature_nid);
  EXPECT_EQ(signatures_, for_certificate + 1);  // one handshake signature, made in the token

  const std::string ping = "EHLO client.example.org";
  ASSERT_EQ(SSL_write(client.get(), ping.data(), static_cast<int>(ping.size())),
            static_cast<int>(ping.size()));
  char received[64] = {};
  ASSERT_EQ(SSL_read(server.get(), received, sizeof received), static_cast<int>(ping.size()));
  EXPECT_EQ(std::string(received, ping.size()), ping);
}

INSTANTIATE_TEST_SUITE_P(Tls, TlsTest, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.test_name); });

}  // namespace
}  // namespace appliance::hsm
