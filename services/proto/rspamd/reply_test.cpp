// NAME
//   reply_test.cpp - rspamd's scan reply: the actions, and what is refused.
#include "proto/rspamd/reply.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace appliance::rspamd {
namespace {

TEST(RspamdReply, ReadsActionScoreAndMessage) {
  auto r = parse_reply(
      R"({"is_skipped":true,"score":15.0,"required_score":15.0,"action":"reject",)"
      R"("symbols":{"GTUBE":{"name":"GTUBE","score":0.0}},"messages":{"smtp_message":"Gtube pattern"},)"
      R"("message-id":"1@example.org","time_real":0.08})");
  ASSERT_TRUE(r) << r.message();
  EXPECT_EQ(r->action, Action::reject);
  EXPECT_DOUBLE_EQ(r->score, 15.0);
  EXPECT_EQ(r->required_score, 15.0);
  EXPECT_EQ(r->smtp_message, "Gtube pattern");
  EXPECT_TRUE(r->skipped);
}

TEST(RspamdReply, KnowsEveryActionByItsName) {
  for (Action a : {Action::no_action, Action::greylist, Action::add_header, Action::rewrite_subject,
                   Action::soft_reject, Action::reject, Action::discard, Action::quarantine}) {
    auto r = parse_reply(fmt::format(R"({{"action":"{}","score":1}})", action_name(a)));
    ASSERT_TRUE(r) << r.message();
    EXPECT_EQ(r->action, a);
    EXPECT_FALSE(r->required_score);
  }
}

TEST(RspamdReply, KeepsOnlyPrintableReplyText) {
  auto r = parse_reply(
      "{\"action\":\"reject\",\"score\":20,\"messages\":{\"smtp_message\":\" spam\\r\\n250 ok "
      "\\u00e9 \"}}");
  ASSERT_TRUE(r) << r.message();
  EXPECT_EQ(r->smtp_message, "spam250 ok");
  std::string long_text(1000, 'x');
  r = parse_reply(R"({"action":"reject","score":20,"messages":{"smtp_message":")" + long_text +
                  "\"}}");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->smtp_message.size(), kMaxSmtpMessage);
}

TEST(RspamdReply, RefusesWhatItCannotActOn) {
  struct Case {
    const char* body;
    const char* error;
  };
  for (const Case& c : {
           Case{"", "rspamd reply: not JSON"},
           Case{"{\"action\":\"reject\"", "rspamd reply: not JSON"},
           Case{"[1,2]", "rspamd reply: not a JSON object"},
           Case{"{\"score\":1}", "rspamd reply: no \"action\" string"},
           Case{"{\"action\":7,\"score\":1}", "rspamd reply: no \"action\" string"},
           Case{"{\"action\":\"delete\",\"score\":1}", "rspamd reply: unknown action \"delete\""},
           Case{"{\"action\":\"reject\"}", "rspamd reply: no \"score\""},
           Case{"{\"action\":\"reject\",\"score\":\"9\"}",
                "rspamd reply: \"score\" is not a number"},
           Case{"{\"action\":\"reject\",\"score\":1,\"required_score\":null}",
                "rspamd reply: \"required_score\" is not a number"},
           Case{"{\"action\":\"reject\",\"score\":1,\"is_skipped\":1}",
                "rspamd reply: \"is_skipped\" is not a boolean"},
       }) {
    auto r = parse_reply(c.body);
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.message(), c.error) << c.body;
  }
  EXPECT_EQ(parse_reply(std::string(kMaxReply + 1, ' ')).message(),
            "rspamd reply: larger than 1048576 bytes");
}

}  // namespace
}  // namespace appliance::rspamd
