// NAME
//   threads_test.cpp - many threads, each with its own session, signing and
//   MACing at once. The rule from token.h under load: zero errors.
//
// DESCRIPTION
//   Eight threads, each with its own session (and its own hot copy of the
//   HMAC key), sign and verify concurrently.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "hsm/keys.h"
#include "hsm/ops.h"
#include "hsm/pubkey.h"
#include "hsm/test_token.h"

namespace appliance::hsm {
namespace {

using testing::random_bytes;
using testing::TestToken;
using testing::TokenTest;

constexpr int kThreads = 8;
constexpr int kRounds = 150;

bool verifies(EVP_PKEY* pub, const std::string& sig, const std::string& digest) {
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new(pub, nullptr));
  return ctx && EVP_PKEY_verify_init(ctx.get()) == 1 &&
         EVP_PKEY_verify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                         reinterpret_cast<const unsigned char*>(digest.data()), digest.size()) == 1;
}

class ThreadsTest : public TokenTest {};

TEST_F(ThreadsTest, EachThreadWithItsOwnSessionSignsWithoutErrors) {
  auto ec = generate_key(session(), "tls/threads.example.com/v1", Algorithm::ec_p256);
  ASSERT_OK(ec);
  auto pepper = generate_key(session(), "secret/threads-pepper/v1", Algorithm::hmac_sha256);
  ASSERT_OK(pepper);
  auto pub = public_key(session(), *ec);
  ASSERT_OK(pub);
  auto reference_mac = hmac_sha256(session(), pepper->handle, "same input everywhere");
  ASSERT_OK(reference_mac);

  std::atomic<int> errors{0}, signatures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto own = TestToken::get().session();  // never shared: see token.h
      if (!own) {
        ++errors;
        return;
      }
      auto hot = hot_copy(*own, pepper->handle);
      if (!hot) ++errors;
      for (int i = 0; i < kRounds && hot; ++i) {
        const std::string digest = random_bytes(32);
        auto sig = ecdsa_sign_digest(*own, ec->handle, digest);
        if (!sig || !verifies(pub->get(), *sig, digest)) ++errors;
        auto mac = hmac_sha256(*own, *hot, "same input everywhere");
        if (!mac || *mac != *reference_mac) ++errors;
        ++signatures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(signatures.load(), kThreads * kRounds);
}

}  // namespace
}  // namespace appliance::hsm
