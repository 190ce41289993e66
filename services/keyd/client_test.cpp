// NAME
//   client_test.cpp - KeydClient's async_ calls give what the blocking calls
//   give: the answer, keyd's error with its message, and why keyd is
//   unavailable.
#include "keyd/client.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <vector>

#include "keyd/testing/fake_keyd.h"

namespace appliance::keyd {
namespace {

using namespace std::chrono_literals;
using testing::FakeKeyd;

// keyd's side of HMAC: a MAC is "mac:" + data; key "secret/none" is unknown.
std::string answer(const ipc::Message& m) {
  auto q = decode_request(m);
  if (!q) return ipc::Writer(ipc::Type::error).str(q.message()).frame();
  if (q->key == "secret/none")
    return ipc::Writer(ipc::Type::error).str("no key named secret/none").frame();
  if (q->type == ipc::Type::key_hmac)
    return ipc::Writer(ipc::Type::key_mac).str(q->key + "/v1").bytes("mac:" + q->data).frame();
  if (q->type == ipc::Type::key_hmac_verify)
    return ipc::Writer(ipc::Type::key_verified).boolean(q->extra == "mac:" + q->data).frame();
  return ipc::Writer(ipc::Type::key_done).frame();  // not what anyone asked for
}

// The result an async_ call delivers, waited for.
template <class T>
class Awaited {
 public:
  KeydClient::Done<T> done() {
    return [this](Result<T> r) {
      std::lock_guard lock(mutex_);
      result_ = std::move(r);
      ready_.notify_all();
    };
  }
  Result<T> get() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return result_.has_value(); });
    return std::move(*result_);
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::optional<Result<T>> result_;
};

TEST(KeydClientAsync, VerifyAnswersTrueAndFalseLikeTheBlockingCall) {
  FakeKeyd keyd(-1, answer);
  KeydClient client(keyd.path(), 2s);
  Awaited<bool> good, bad;
  client.async_hmac_verify("secret/api", "token", "mac:token", good.done());
  client.async_hmac_verify("secret/api", "token", "mac:other", bad.done());
  auto g = good.get(), b = bad.get();
  ASSERT_TRUE(g) << g.message();
  ASSERT_TRUE(b) << b.message();
  EXPECT_TRUE(*g);
  EXPECT_FALSE(*b);
  EXPECT_EQ(*client.hmac_verify("secret/api", "token", "mac:token"), *g);
}

TEST(KeydClientAsync, HmacGivesTheMac) {
  FakeKeyd keyd(-1, answer);
  KeydClient client(keyd.path(), 2s);
  Awaited<std::string> mac;
  client.async_hmac("secret/api", "data", mac.done());
  auto m = mac.get();
  ASSERT_TRUE(m) << m.message();
  EXPECT_EQ(*m, "mac:data");
}

TEST(KeydClientAsync, KeydsErrorAndAWrongReplyAreErrors) {
  FakeKeyd keyd(-1, answer);
  KeydClient client(keyd.path(), 2s);
  Awaited<bool> unknown;
  client.async_hmac_verify("secret/none", "x", "y", unknown.done());
  auto u = unknown.get();
  ASSERT_FALSE(u);
  EXPECT_EQ(u.message(), "no key named secret/none");
  Awaited<Signed> sig;
  client.async_sign("tls/x", SignScheme::ecdsa, std::string(32, 'd'), sig.done());
  auto s = sig.get();
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("keyd answered"), std::string::npos);
}

// keyd does HMACs one at a time (SoftHSM), so a second connection for them
// only adds hand-overs; signatures, which keyd can do on two cores, spread.
TEST(KeydClientAsync, HmacsShareOneConnectionSignaturesSpread) {
  FakeKeyd keyd(-1, answer);
  KeydClient client(keyd.path(), 2s);
  std::vector<Awaited<bool>> verifies(8);
  for (auto& v : verifies) client.async_hmac_verify("secret/api", "t", "mac:t", v.done());
  Awaited<std::string> mac;
  client.async_hmac("secret/api", "data", mac.done());
  for (auto& v : verifies) ASSERT_TRUE(v.get());
  ASSERT_TRUE(mac.get());
  EXPECT_EQ(keyd.accepted(), 1);
  std::vector<Awaited<Signed>> sigs(2);
  for (auto& s : sigs)
    client.async_sign("tls/x", SignScheme::ecdsa, std::string(32, 'd'), s.done());
  for (auto& s : sigs) (void)s.get();  // answered (the fake has no signatures)
  EXPECT_EQ(keyd.accepted(), 2);
}

TEST(KeydClientAsync, NoKeydIsUnavailable) {
  KeydClient client("/nonexistent/keyd.sock", 100ms);
  Awaited<bool> v;
  client.async_hmac_verify("secret/api", "x", "y", v.done());
  auto r = v.get();
  ASSERT_FALSE(r);
  EXPECT_NE(r.message().find("keyd unavailable"), std::string::npos);
}

}  // namespace
}  // namespace appliance::keyd
