// NAME
//   recent_test.cpp - remembered answers to API-key reads: given again to
//   the same key only, never a refusal, forgotten at once by a change made
//   through webd (a key revoked with the session) and within the validity
//   for a change made elsewhere; on a real SQLite store, a clock moved by hand.
#include <gtest/gtest.h>

#include "webd/api.h"
#include "webd/recent.h"
#include "webd/testing/web_test.h"

namespace appliance::webd {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class RecentTest : public testing::WebTest {
 protected:
  void SetUp() override {
    WebTest::SetUp();
    add_account("alice@example.test", "long enough password");
    auto made = api_keys_->create("alice@example.test", "ci", {{auth::Role::user, {}}},
                                  std::nullopt, "alice@example.test");
    ASSERT_TRUE(made) << made.message();
    key_ = std::string(made->text.reveal());
    id_ = made->stored.id;
  }

  HttpRequest request(const std::string& method, const std::string& target,
                      const std::string& key, const std::string& body = "") {
    HttpRequest r{method, target, "mail.example.test", body, {}, "192.0.2.5"};
    if (!key.empty()) r.headers.emplace_back("authorization", "Bearer " + key);
    if (!body.empty()) r.headers.emplace_back("content-type", "application/json");
    return r;
  }
  // Through the remembered answers, as webd's worker runs a request.
  HttpResponse answer(const HttpRequest& r) {
    return recent_.answer(r, [this](const HttpRequest& q) { return handle_api(q, *parts_); });
  }
  std::optional<std::string> recall(const std::string& key, const std::string& target = "/api/v1/me") {
    return recent_.recall(request("GET", target, key), true);
  }

  RecentAnswers recent_{clock_, 1000ms};
  std::string key_, id_;
};

TEST_F(RecentTest, AReadIsGivenAgainToTheSameKeyForItsValidity) {
  EXPECT_FALSE(recall(key_));
  auto first = answer(request("GET", "/api/v1/me", key_));
  ASSERT_EQ(first.status, 200) << first.body;
  auto again = recall(key_);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->starts_with("HTTP/1.1 200 OK\r\n")) << *again;
  EXPECT_NE(again->find("Connection: keep-alive\r\n"), std::string::npos);
  EXPECT_TRUE(again->ends_with(first.body));
  auto closing = recent_.recall(request("GET", "/api/v1/me", key_), false);
  ASSERT_TRUE(closing);
  EXPECT_NE(closing->find("Connection: close\r\n"), std::string::npos);

  // Another key, a wrong secret, a query, another path, a cookie: not remembered.
  std::string wrong = key_.substr(0, key_.size() - 2) + (key_.back() == 'a' ? "bb" : "aa");
  EXPECT_FALSE(recall(wrong));
  EXPECT_EQ(answer(request("GET", "/api/v1/me", wrong)).status, 401);
  EXPECT_FALSE(recall(wrong));
  EXPECT_FALSE(recall(key_, "/api/v1/me?x=1"));
  EXPECT_FALSE(recall(key_, "/api/v1/me/logins"));
  EXPECT_EQ(answer(request("GET", "/api/v1/me/logins", key_)).status, 200);
  EXPECT_FALSE(recall(key_, "/api/v1/me/logins"));
  EXPECT_FALSE(recall(""));
  EXPECT_EQ(recent_.size(), 1u);

  clock_.advance(999ms);
  EXPECT_TRUE(recall(key_));
  clock_.advance(1ms);
  EXPECT_FALSE(recall(key_));
  EXPECT_EQ(recent_.size(), 0u);
}

TEST_F(RecentTest, ARevocationThroughWebdTakesEffectAtOnce) {
  ASSERT_EQ(answer(request("GET", "/api/v1/me", key_)).status, 200);
  ASSERT_TRUE(recall(key_));
  // Alice signs in and revokes the key: every remembered answer is gone.
  HttpRequest sign_in = request(
      "POST", "/api/v1/session", "",
      json{{"address", "alice@example.test"}, {"password", "long enough password"}}.dump());
  sign_in.headers.emplace_back("origin", "https://mail.example.test");
  auto session = answer(sign_in);
  ASSERT_EQ(session.status, 200) << session.body;
  EXPECT_FALSE(recall(key_));
  ASSERT_EQ(answer(request("GET", "/api/v1/me", key_)).status, 200);
  ASSERT_TRUE(recall(key_));
  std::string cookie;
  for (const auto& [n, v] : session.headers)
    if (n == "Set-Cookie") cookie = v.substr(0, v.find(';'));
  HttpRequest revoke = request("DELETE", "/api/v1/me/api-keys/" + id_, "");
  revoke.headers = {{"cookie", cookie},
                    {"origin", "https://mail.example.test"},
                    {"x-csrf-token", json::parse(session.body)["csrf_token"]}};
  ASSERT_EQ(answer(revoke).status, 204);
  EXPECT_FALSE(recall(key_));
  auto refused = answer(request("GET", "/api/v1/me", key_));
  EXPECT_EQ(refused.status, 401);
  EXPECT_FALSE(recall(key_));
}

TEST_F(RecentTest, AChangeMadeElsewhereTakesEffectWithinTheValidity) {
  ASSERT_EQ(answer(request("GET", "/api/v1/me", key_)).status, 200);
  // appliancectl locks the account: webd learns it when the answer expires.
  ASSERT_TRUE(accounts_->set_state("alice@example.test", store::AccountState::locked, "root"));
  EXPECT_TRUE(recall(key_));
  clock_.advance(1000ms);
  EXPECT_FALSE(recall(key_));
  EXPECT_EQ(answer(request("GET", "/api/v1/me", key_)).status, 401);
  EXPECT_FALSE(recall(key_));
}

TEST_F(RecentTest, AnAnswerMadeWhileAChangeRanIsNotKept) {
  auto r = recent_.answer(request("GET", "/api/v1/me", key_), [this](const HttpRequest& q) {
    auto response = handle_api(q, *parts_);
    // A change that another worker finishes meanwhile.
    recent_.answer(request("POST", "/api/v1/session/sudo", key_, "{}"),
                   [this](const HttpRequest& p) { return handle_api(p, *parts_); });
    return response;
  });
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(recall(key_));
  ASSERT_EQ(answer(request("GET", "/api/v1/me", key_)).status, 200);
  EXPECT_TRUE(recall(key_));
}

}  // namespace
}  // namespace appliance::webd
