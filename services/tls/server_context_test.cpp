// NAME
//   server_context_test.cpp - the TLS policy and SNI dispatch, with
//   in-process keys: which versions and suites are accepted and refused,
//   which certificate each name gets, and that nothing resumes.
#include "tls/server_context.h"

#include <gtest/gtest.h>

#include "hsm/cert.h"
#include "tls/testing/fake_key_service.h"
#include "tls/testing/handshake.h"

namespace appliance::tls {
namespace {

using testing::ClientSpec;
using testing::handshake;

struct Host {
  Credential credential;
  hsm::X509Ptr certificate;
};

Host make_host(const std::string& name, int type) {
  hsm::EvpPkeyPtr key = testing::generate_key(type);
  auto cert = hsm::make_self_signed(key.get(), name);
  EXPECT_TRUE(cert.ok());
  auto pem = hsm::certificate_to_pem(cert->get());
  auto c = make_credential(name, name + ".pem", std::move(key), *pem);
  EXPECT_TRUE(c.ok()) << c.message();
  return Host{std::move(c).value(), std::move(cert).value()};
}

class ServerContextTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ec() = new Host(make_host("mail.example.test", EVP_PKEY_EC));
    rsa() = new Host(make_host("imap.example.test", EVP_PKEY_RSA));
  }
  static void TearDownTestSuite() {
    delete ec();
    delete rsa();
  }
  static Host*& ec() {
    static Host* h = nullptr;
    return h;
  }
  static Host*& rsa() {
    static Host* h = nullptr;
    return h;
  }
  SslCtxPtr context(std::vector<const Credential*> hosts) {
    auto ctx = make_server_context(hosts);
    EXPECT_TRUE(ctx.ok()) << ctx.message();
    return std::move(ctx).value();
  }
};

TEST_F(ServerContextTest, Tls13WithEcAndRsaPss) {
  SslCtxPtr ctx = context({&ec()->credential, &rsa()->credential});
  auto e = handshake(ctx.get(), {.max_version = TLS1_3_VERSION, .servername = "mail.example.test"});
  ASSERT_TRUE(e.ok) << e.error;
  EXPECT_EQ(e.version, TLS1_3_VERSION);
  EXPECT_EQ(e.signature_nid, EVP_PKEY_EC);
  auto r = handshake(ctx.get(), {.servername = "imap.example.test"});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.signature_nid, EVP_PKEY_RSA_PSS);
}

TEST_F(ServerContextTest, Tls12OffersOnlyEcdheAead) {
  SslCtxPtr ctx = context({&rsa()->credential, &ec()->credential});
  for (const char* suite : {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384",
                            "ECDHE-RSA-CHACHA20-POLY1305"}) {
    auto o = handshake(ctx.get(), {.max_version = TLS1_2_VERSION, .ciphers = suite});
    ASSERT_TRUE(o.ok) << suite << ": " << o.error;
    EXPECT_EQ(o.cipher, suite);
  }
  auto pkcs1 = handshake(ctx.get(), {.max_version = TLS1_2_VERSION, .sigalgs = "RSA+SHA256"});
  ASSERT_TRUE(pkcs1.ok) << pkcs1.error;
  EXPECT_EQ(pkcs1.signature_nid, EVP_PKEY_RSA);
  auto ecdsa = handshake(ctx.get(), {.max_version = TLS1_2_VERSION,
                                     .ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256",
                                     .servername = "mail.example.test"});
  ASSERT_TRUE(ecdsa.ok) << ecdsa.error;
  for (const char* refused : {"AES128-SHA256", "AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA256",
                              "ECDHE-RSA-AES128-SHA", "DHE-RSA-AES128-GCM-SHA256"}) {
    auto o = handshake(ctx.get(), {.max_version = TLS1_2_VERSION, .ciphers = refused});
    EXPECT_FALSE(o.ok) << refused << " was accepted";
  }
}

TEST_F(ServerContextTest, ServerPicksTheSuite) {
  SslCtxPtr ctx = context({&rsa()->credential});
  auto o =
      handshake(ctx.get(), {.max_version = TLS1_2_VERSION,
                            .ciphers = "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256"});
  ASSERT_TRUE(o.ok) << o.error;
  EXPECT_EQ(o.cipher, "ECDHE-RSA-AES128-GCM-SHA256");
}

TEST_F(ServerContextTest, RefusesTls11AndBelow) {
  SslCtxPtr ctx = context({&ec()->credential});
  for (int v : {TLS1_VERSION, TLS1_1_VERSION}) {
    auto o = handshake(ctx.get(), {.min_version = v, .max_version = v});
    EXPECT_FALSE(o.ok);
    EXPECT_NE(o.error.find("server:"), std::string::npos) << o.error;
  }
}

TEST_F(ServerContextTest, SniChoosesTheCertificate) {
  SslCtxPtr ctx = context({&ec()->credential, &rsa()->credential});
  struct Case {
    const char* sent;
    Host* expected;
  };
  for (Case c :
       {Case{"mail.example.test", ec()}, Case{"imap.example.test", rsa()},
        Case{"IMAP.Example.Test.", rsa()}, Case{nullptr, ec()}, Case{"other.example.test", ec()}}) {
    auto o = handshake(ctx.get(), {.servername = c.sent});
    ASSERT_TRUE(o.ok) << o.error;
    EXPECT_EQ(X509_cmp(o.peer.get(), c.expected->certificate.get()), 0)
        << (c.sent ? c.sent : "(no SNI)");
    EXPECT_EQ(o.served, c.expected->credential.hostname);
  }
}

TEST_F(ServerContextTest, NothingResumes) {
  SslCtxPtr ctx = context({&ec()->credential});
  for (int v : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    auto first = handshake(ctx.get(), {.max_version = v});
    ASSERT_TRUE(first.ok) << first.error;
    auto second = handshake(ctx.get(), {.max_version = v, .resume = first.session.get()});
    ASSERT_TRUE(second.ok) << second.error;
    EXPECT_FALSE(second.reused) << "version " << v;
  }
  const auto options = SSL_CTX_get_options(ctx.get());
  EXPECT_TRUE(options & SSL_OP_NO_COMPRESSION);
  EXPECT_TRUE(options & SSL_OP_NO_RENEGOTIATION);
  EXPECT_TRUE(options & SSL_OP_CIPHER_SERVER_PREFERENCE);
}

TEST_F(ServerContextTest, FrontOutlivesItsOwnerInAConnection) {
  SslCtxPtr ctx = context({&ec()->credential, &rsa()->credential});
  SslPtr server(SSL_new(ctx.get()));
  ctx.reset();  // as when a rotation replaces the front mid-handshake
  auto o = handshake(server.get(), {.servername = "imap.example.test"});
  ASSERT_TRUE(o.ok) << o.error;
  EXPECT_EQ(X509_cmp(o.peer.get(), rsa()->certificate.get()), 0);
}

TEST_F(ServerContextTest, RejectsMismatchAndDuplicates) {
  hsm::EvpPkeyPtr other = testing::generate_key(EVP_PKEY_EC);
  auto pem = hsm::certificate_to_pem(ec()->certificate.get());
  auto c = make_credential("mail.example.test", "x", std::move(other), *pem);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.message().find("does not hold this key"), std::string::npos) << c.message();
  EXPECT_FALSE(make_credential("a", "x", testing::generate_key(EVP_PKEY_EC), "").ok());
  auto twice = make_server_context({&ec()->credential, &ec()->credential});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.message().find("served twice"), std::string::npos);
  EXPECT_FALSE(make_server_context({}).ok());
}

TEST(Hostname, Normalised) {
  EXPECT_EQ(normalise_hostname("Mail.Example.TEST."), "mail.example.test");
  EXPECT_EQ(normalise_hostname("a"), "a");
}

}  // namespace
}  // namespace appliance::tls
