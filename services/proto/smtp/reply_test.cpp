// NAME
//   reply_test.cpp - reply rendering and the EHLO capability list.
#include <gtest/gtest.h>

#include "proto/smtp/reply.h"

namespace appliance::smtp {
namespace {

TEST(Reply, MultiLineWithStatusOnEveryLine) {
  Reply r{214, "2.0.0", {"one", "two", "three"}};
  EXPECT_EQ(r.wire(), "214-2.0.0 one\r\n214-2.0.0 two\r\n214 2.0.0 three\r\n");
  EXPECT_EQ(r.summary(), "214 2.0.0 one two three");
  EXPECT_EQ(make_reply(354, "", "go ahead").wire(), "354 go ahead\r\n");
  EXPECT_EQ((Reply{334, "", {""}}).wire(), "334 \r\n");
}

// Text from elsewhere (a lookup's reason, an echoed keyword) cannot add a line.
TEST(Reply, ForeignTextCannotSplitAReply) {
  Reply r = make_reply(550, "5.1.1", "no such user\r\n250 2.0.0 Ok");
  EXPECT_EQ(r.wire(), "550 5.1.1 no such user??250 2.0.0 Ok\r\n");
  EXPECT_EQ(make_reply(550, "5.1.1", std::string(1000, 'x')).wire().size(),
            std::string("550 5.1.1 \r\n").size() + 400);
}

TEST(Reply, EhloOffersStarttlsBeforeTlsAndAuthAfter) {
  Reply plain = ehlo_reply("mx.example", "c.example", {1000, true, false});
  EXPECT_EQ(plain.wire(),
            "250-mx.example greets c.example\r\n250-PIPELINING\r\n250-SIZE 1000\r\n"
            "250-8BITMIME\r\n250-SMTPUTF8\r\n250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n"
            "250-CHUNKING\r\n250-BINARYMIME\r\n250 DSN\r\n");
  Reply tls = ehlo_reply("mx.example", "c.example", {1000, false, true});
  EXPECT_EQ(tls.wire().find("STARTTLS"), std::string::npos);
  EXPECT_NE(tls.wire().find("250-AUTH PLAIN LOGIN\r\n"), std::string::npos);
  EXPECT_EQ(greeting_reply("mx.example").wire(), "220 mx.example ESMTP\r\n");
}

}  // namespace
}  // namespace appliance::smtp
