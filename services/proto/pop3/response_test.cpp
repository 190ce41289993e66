// NAME
//   response_test.cpp - status lines, dot-stuffing and TOP.
#include <gtest/gtest.h>

#include "proto/pop3/response.h"

namespace appliance::pop3 {
namespace {

TEST(Response, StatusLinesAreSafe) {
  EXPECT_EQ(ok(""), "+OK\r\n");
  EXPECT_EQ(ok("2 320"), "+OK 2 320\r\n");
  EXPECT_EQ(err("no\r\n+OK forged", "IN-USE"), "-ERR [IN-USE] no??+OK forged\r\n");
}

TEST(Response, MultilineStuffsDotsAndEndsLines) {
  EXPECT_EQ(multiline(""), ".\r\n");
  EXPECT_EQ(multiline("a\r\n.\r\n..b\r\n"), "a\r\n..\r\n...b\r\n.\r\n");
  EXPECT_EQ(multiline("bare\nlf\rcr"), "bare\r\nlf\r\ncr\r\n.\r\n");
  EXPECT_EQ(multiline("\r\n"), "\r\n.\r\n");
}

TEST(Response, TopKeepsHeaderAndLines) {
  std::string m = "Subject: x\r\nFrom: y\r\n\r\none\r\ntwo\r\nthree\r\n";
  EXPECT_EQ(top(m, 0), "Subject: x\r\nFrom: y\r\n\r\n");
  EXPECT_EQ(top(m, 2), "Subject: x\r\nFrom: y\r\n\r\none\r\ntwo\r\n");
  EXPECT_EQ(top(m, 10), m);
  EXPECT_EQ(top("No body\r\n", 3), "No body\r\n");
}

}  // namespace
}  // namespace appliance::pop3
