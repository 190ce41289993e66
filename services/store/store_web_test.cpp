// NAME
//   store_web_test - web sessions, API keys and an account's own security
//   events, on SQLite and on PostgreSQL.
#include "store/store_suite.h"

namespace appliance::store {
namespace {

class WebSuite : public testing::StoreSuite {};

INSTANTIATE_TEST_SUITE_P(Backends, WebSuite, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

WebSession sample_session(std::string mac) {
  WebSession s;
  s.mac = std::move(mac);
  s.tenant = 1;
  s.account = 7;
  s.address = "alice@example.test";
  s.csrf = "csrf-token";
  s.created = s.last_seen = 1700000000;
  s.expires = 1700003600;
  s.source = "192.0.2.1";
  s.agent = "Firefox";
  return s;
}

TEST_P(WebSuite, SessionsAreFoundByMacChangedAndRemoved) {
  WebStore& web = store_->web();
  std::string mac("\x00\x01mac", 5);
  ASSERT_TRUE(web.add_session(sample_session(mac)).ok());
  EXPECT_FALSE(web.session("other").value());
  auto s = web.session(mac).value();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->address, "alice@example.test");
  EXPECT_FALSE(s->full);
  EXPECT_EQ(s->totp_pending, "");

  s->full = true;
  s->sudo_until = 1700000600;
  s->last_seen = 1700000100;
  s->totp_key = "seal/totp/v1";
  s->totp_pending = std::string("\x00sealed", 7);
  ASSERT_TRUE(web.update_session(*s).ok());
  auto t = web.session(mac).value();
  EXPECT_TRUE(t->full);
  EXPECT_EQ(t->sudo_until, 1700000600);
  EXPECT_EQ(t->last_seen, 1700000100);
  EXPECT_EQ(t->totp_pending, std::string("\x00sealed", 7));

  ASSERT_TRUE(web.add_session(sample_session("second")).ok());
  auto other = sample_session("third");
  other.account = 8;
  other.expires = 1600000000;
  ASSERT_TRUE(web.add_session(other).ok());
  EXPECT_EQ(web.purge_sessions(1700000000).value(), 1u);
  EXPECT_TRUE(web.remove_session("second").value());
  EXPECT_FALSE(web.remove_session("second").value());
  EXPECT_EQ(web.remove_sessions(1, 7).value(), 1u);
  EXPECT_FALSE(web.session(mac).value());
}

TEST_P(WebSuite, ApiKeysAreListedUsedAndRevoked) {
  WebStore& web = store_->web();
  ApiKey k{"abcdefgh", 1, 7, "alice@example.test", "ci", "secret/api-pepper/v1",
           std::string(32, '\0'), "user", 1800000000, 1700000000, {}, {}};
  ASSERT_TRUE(web.add_api_key(k).ok());
  EXPECT_FALSE(web.add_api_key(k).ok());
  auto got = web.api_key("abcdefgh").value();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->mac, std::string(32, '\0'));
  EXPECT_EQ(got->expires, 1800000000);
  EXPECT_FALSE(got->last_used);
  ASSERT_TRUE(web.api_key_used("abcdefgh", 1700000050).ok());
  EXPECT_EQ(web.api_key("abcdefgh").value()->last_used, 1700000050);
  EXPECT_EQ(web.api_keys(1, 7).value().size(), 1u);
  EXPECT_TRUE(web.api_keys(1, 8).value().empty());
  EXPECT_FALSE(web.revoke_api_key(1, 8, "abcdefgh", 1700000060).value());
  EXPECT_TRUE(web.revoke_api_key(1, 7, "abcdefgh", 1700000060).value());
  EXPECT_FALSE(web.revoke_api_key(1, 7, "abcdefgh", 1700000070).value());
  EXPECT_EQ(web.api_key("abcdefgh").value()->revoked, 1700000060);
}

TEST_P(WebSuite, EventsAboutOneTargetNewestFirst) {
  for (std::uint64_t seq = 1; seq <= 3; ++seq) {
    auto e = store_->logs().append_event([&](const auto&) -> Result<EventRow> {
      return EventRow{seq, 1700000000, "t", "a", seq == 2 ? "bob" : "alice", "{}",
                      std::string(32, '\0'), std::string(32, static_cast<char>(seq))};
    });
    ASSERT_TRUE(e.ok()) << e.message();
  }
  auto mine = store_->web().events_about("alice", 10).value();
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].seq, 3u);
  EXPECT_EQ(mine[1].seq, 1u);
}

}  // namespace
}  // namespace appliance::store
