// NAME
//   context_set_test.cpp - TlsContextSet against an in-memory key service:
//   signatures go to the service with the version's name, rotation is
//   picked up without a restart, errors keep what was serving, and several
//   threads handshake while contexts are swapped.
#include "tls/context_set.h"

#include <gtest/gtest.h>

#include <thread>

#include "tls/testing/fake_key_service.h"
#include "tls/testing/handshake.h"

namespace appliance::tls {
namespace {

using testing::FakeKeyService;
using testing::handshake;

constexpr const char* kMail = "mail.example.test";
constexpr const char* kImap = "imap.example.test";

class ContextSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keys_ = std::make_shared<FakeKeyService>();
    keys_->add(kMail, EVP_PKEY_EC);
    keys_->add(kImap, EVP_PKEY_RSA);
  }
  std::unique_ptr<TlsContextSet> open() {
    auto set = TlsContextSet::open(keys_, {kMail, kImap});
    EXPECT_TRUE(set.ok()) << set.message();
    return set.ok() ? std::move(set).value() : nullptr;
  }
  bool serves(TlsContextSet& set, const char* host) {
    SslCtxPtr ctx = set.current();
    auto o = handshake(ctx.get(), {.servername = host});
    EXPECT_TRUE(o.ok) << o.error;
    return o.ok && X509_cmp(o.peer.get(), keys_->certificate(host).get()) == 0;
  }

  std::shared_ptr<FakeKeyService> keys_;
};

TEST_F(ContextSetTest, SignsThroughTheServiceWithTheVersion) {
  auto set = open();
  ASSERT_TRUE(set);
  EXPECT_EQ(set->serving(),
            (std::vector<std::string>{"tls/mail.example.test/v1", "tls/imap.example.test/v1"}));
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION})
    for (const char* host : {kMail, kImap}) {
      const int before = keys_->signatures;
      SslCtxPtr ctx = set->current();
      auto o = handshake(ctx.get(), {.max_version = version, .servername = host});
      ASSERT_TRUE(o.ok) << host << ": " << o.error;
      EXPECT_EQ(keys_->signatures, before + 1) << "one signature per full handshake";
      EXPECT_EQ(o.served, host);
    }
}

TEST_F(ContextSetTest, RotationIsPickedUpByRefresh) {
  auto set = open();
  ASSERT_TRUE(set);
  auto unchanged = set->refresh();
  ASSERT_TRUE(unchanged.ok()) << unchanged.message();
  EXPECT_FALSE(*unchanged);
  EXPECT_EQ(set->generation(), 0u);

  SslCtxPtr old_front = set->current();
  SslPtr under_way(SSL_new(old_front.get()));  // a connection accepted before the rotation
  auto old_cert = keys_->certificate(kMail);
  keys_->rotate(kMail);
  auto changed = set->refresh();
  ASSERT_TRUE(changed.ok()) << changed.message();
  EXPECT_TRUE(*changed);
  EXPECT_EQ(set->generation(), 1u);
  EXPECT_EQ(set->serving()[0], "tls/mail.example.test/v2");
  EXPECT_TRUE(serves(*set, kMail));
  EXPECT_TRUE(serves(*set, kImap));

  auto o = handshake(under_way.get(), {.servername = kMail});
  ASSERT_TRUE(o.ok) << o.error;
  EXPECT_EQ(X509_cmp(o.peer.get(), old_cert.get()), 0) << "finishes with the key it started with";
}

TEST_F(ContextSetTest, PollingPicksUpRotation) {
  auto set = open();
  ASSERT_TRUE(set);
  set->poll_every(std::chrono::milliseconds(20));
  keys_->rotate(kImap);
  // No timing assertion: wait as long as it takes (ctest's timeout is the bound).
  while (set->generation() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(set->serving()[1], "tls/imap.example.test/v2");
  EXPECT_TRUE(serves(*set, kImap));
}

TEST_F(ContextSetTest, OpenReportsTheServicesError) {
  keys_->fail_public = true;
  auto set = TlsContextSet::open(keys_, {kMail});
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.message().find("tls/mail.example.test: permission denied"), std::string::npos)
      << set.message();
  EXPECT_FALSE(TlsContextSet::open(keys_, {}).ok());
  EXPECT_FALSE(TlsContextSet::open(nullptr, {kMail}).ok());
}

TEST_F(ContextSetTest, FailedRefreshKeepsServing) {
  auto set = open();
  ASSERT_TRUE(set);
  keys_->rotate(kMail);
  keys_->fail_public = true;
  auto r = set->refresh();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(set->serving()[0], "tls/mail.example.test/v1");
  SslCtxPtr ctx = set->current();
  auto o = handshake(ctx.get(), {.servername = kMail});
  EXPECT_TRUE(o.ok) << o.error;
}

TEST_F(ContextSetTest, RefusedSignatureFailsTheHandshakeWithTheReason) {
  auto set = open();
  ASSERT_TRUE(set);
  keys_->fail_sign = true;
  SslCtxPtr ctx = set->current();
  auto o = handshake(ctx.get(), {.servername = kMail});
  ASSERT_FALSE(o.ok);
  EXPECT_NE(o.error.find("server:"), std::string::npos) << o.error;
  EXPECT_NE(o.error.find("permission denied"), std::string::npos) << o.error;
}

TEST_F(ContextSetTest, ThreadsHandshakeWhileContextsAreSwapped) {
  auto set = open();
  ASSERT_TRUE(set);
  constexpr int kThreads = 4, kEach = 15;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        SslCtxPtr ctx = set->current();
        auto o = handshake(ctx.get(), {.servername = (t + i) % 2 ? kMail : kImap});
        if (o.ok) ++ok;
      }
    });
  for (int r = 0; r < 3; ++r) {
    keys_->rotate(r % 2 ? kImap : kMail);
    auto changed = set->refresh();
    EXPECT_TRUE(changed.ok()) << changed.message();
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, kThreads * kEach);
  EXPECT_EQ(set->generation(), 3u);
}

TEST(KeyFamily, FromHostname) {
  EXPECT_EQ(key_family("Mail.Example.Test."), "tls/mail.example.test");
}

}  // namespace
}  // namespace appliance::tls
