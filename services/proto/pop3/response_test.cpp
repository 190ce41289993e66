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

// Every cut of the data into two or three pieces gives the whole's output.
TEST(Response, PiecesGiveTheSameOutputAsTheWhole) {
  const std::string samples[] = {"a\r\n.\r\n..b\r\n", "bare\nlf\rcr", "\r\n", ".x\r\n\r.\n.",
                                 "H: v\r\n\r\none\r\n.two\r\nthree"};
  for (const std::string& data : samples)
    for (std::size_t i = 0; i <= data.size(); ++i)
      for (std::size_t j = i; j <= data.size(); ++j) {
        Multiline m;
        std::string out = m.put(data.substr(0, i));
        out += m.put(data.substr(i, j - i));
        out += m.put(data.substr(j));
        out += m.finish();
        EXPECT_EQ(out, multiline(data)) << data << " cut at " << i << ", " << j;
        for (std::uint32_t lines : {0u, 1u, 2u, 9u}) {
          TopCut cut(lines);
          std::string kept(cut.take(data.substr(0, i)));
          kept += cut.take(data.substr(i, j - i));
          kept += cut.take(data.substr(j));
          EXPECT_EQ(multiline(kept), multiline(top(data, lines))) << data << " " << lines;
        }
      }
}

TEST(Response, TopCutIsDoneAfterItsLines) {
  TopCut cut(1);
  EXPECT_EQ(cut.take("H: v\r\n\r\nfirst\r\nsecond\r\n"), "H: v\r\n\r\nfirst\r\n");
  EXPECT_TRUE(cut.done());
  EXPECT_EQ(cut.take("more\r\n"), "");
}

}  // namespace
}  // namespace appliance::pop3
