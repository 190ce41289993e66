// Tests of the client's reply reader: single and multi-line replies, replies
// split across reads, enhanced codes, EHLO keywords, and every refusal.
#include "proto/smtp/client_reply.h"

#include <gtest/gtest.h>

namespace appliance::smtp {
namespace {

TEST(ClientReply, SingleAndMultiLine) {
  ReplyReader r;
  r.feed("220 mx.example ESMTP ready\r\n250-mx.example\r\n250-PIPELINING\r\n250-size 1000\r\n");
  auto greeting = r.next();
  ASSERT_TRUE(greeting.ok() && greeting->has_value());
  EXPECT_EQ((*greeting)->code, 220);
  EXPECT_EQ((*greeting)->summary(), "220 mx.example ESMTP ready");
  auto none = r.next();
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  r.feed("250 STARTTLS\r\n");
  auto ehlo = r.next();
  ASSERT_TRUE(ehlo.ok() && ehlo->has_value());
  EXPECT_EQ((*ehlo)->lines.size(), 4u);
  EXPECT_EQ(ehlo_keywords(**ehlo),
            (std::vector<std::string>{"PIPELINING", "SIZE 1000", "STARTTLS"}));
  EXPECT_TRUE(offers(**ehlo, "starttls"));
  EXPECT_FALSE(offers(**ehlo, "CHUNKING"));
  EXPECT_EQ(r.buffered(), 0u);
}

TEST(ClientReply, SplitAcrossReadsAndBareCode) {
  ReplyReader r;
  r.feed("25");
  EXPECT_FALSE(r.next()->has_value());
  r.feed("0 2.1.5 O");
  EXPECT_FALSE(r.next()->has_value());
  r.feed("k\r\n354\r\n");
  auto ok = r.next();
  ASSERT_TRUE(ok.ok() && ok->has_value());
  EXPECT_EQ((*ok)->enhanced, "2.1.5");
  EXPECT_EQ((*ok)->lines.front(), "Ok");
  auto bare = r.next();
  ASSERT_TRUE(bare.ok() && bare->has_value());
  EXPECT_EQ((*bare)->code, 354);
  EXPECT_TRUE((*bare)->positive());
}

TEST(ClientReply, EnhancedCodeOnlyOfTheRightClass) {
  auto a = parse_reply("550 5.1.1 No such user\r\n");
  EXPECT_EQ(a->enhanced, "5.1.1");
  EXPECT_TRUE(a->permanent());
  auto b = parse_reply("451 5.1.1 mismatched\r\n");
  EXPECT_EQ(b->enhanced, "");
  EXPECT_TRUE(b->transient());
  EXPECT_EQ(b->summary(), "451 5.1.1 mismatched");
  EXPECT_EQ(parse_reply("250 2.0.0\r\n")->enhanced, "2.0.0");
}

TEST(ClientReply, RefusesMalformedReplies) {
  EXPECT_EQ(parse_reply("25x ok\r\n").message(), "reply line does not start with a 3-digit code");
  EXPECT_EQ(parse_reply("199 hmm\r\n").message(), "reply code 199 out of range");
  EXPECT_EQ(parse_reply("250_ok\r\n").message(), "reply code not followed by a space or '-'");
  EXPECT_EQ(parse_reply("250-a\r\n550 b\r\n").message(), "reply lines of codes 250 and 550");
  EXPECT_EQ(parse_reply("250 a\x01\r\n").message(), "control character in reply");
  ReplyReader r;
  r.feed(std::string(kMaxReplyLine + 1, '2'));
  EXPECT_EQ(r.next().message(), "reply line too long");
  ReplyReader many;
  for (std::size_t i = 0; i <= kMaxReplyLines; ++i) many.feed("250-x\r\n");
  EXPECT_EQ(many.next().message(), "reply of too many lines");
}

}  // namespace
}  // namespace appliance::smtp
