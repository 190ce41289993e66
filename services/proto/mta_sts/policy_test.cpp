// Tests of the MTA-STS record, policy file, HTTP response and MX patterns.
#include "proto/mta_sts/policy.h"

#include <gtest/gtest.h>

namespace appliance::mta_sts {
namespace {

TEST(MtaStsRecord, ReadsTheId) {
  auto r = parse_record("v=STSv1; id=20160831085700Z;");
  ASSERT_TRUE(r) << r.message();
  EXPECT_EQ(r->id, "20160831085700Z");
  EXPECT_EQ(parse_record("v=STSv1;id=abc ; ext_1=x")->id, "abc");
}

TEST(MtaStsRecord, RefusesWhatIsMalformed) {
  for (const char* bad : {"", "v=STSv2; id=1", "id=1; v=STSv1", "v=STSv1", "v=STSv1; id=",
                          "v=STSv1; id=a-b", "v=STSv1; id=123456789012345678901234567890123",
                          "v=STSv1; id=1; id=2", "v=STSv1 id=1", "v=STSv1; id=1; x", "v=STSv1; id=1; -x=y"})
    EXPECT_FALSE(parse_record(bad)) << bad;
}

TEST(MtaStsRecord, ExactlyOneRecordOrNone) {
  EXPECT_EQ(find_record({"v=spf1 -all", "v=STSv1; id=7"})->id, "7");
  EXPECT_FALSE(find_record({"v=STSv1; id=7", "v=STSv1; id=8"}));
  EXPECT_FALSE(find_record({"v=STSv1; id=7", "v=STSv1; broken"}));
  EXPECT_FALSE(find_record({"v=spf1 -all"}));
  EXPECT_FALSE(find_record({}));
}

TEST(MtaStsPolicy, ReadsThePolicyOfRfc8461) {
  auto p = parse_policy(
      "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"
      "mx: backupmx.example.com\r\nmax_age: 604800\r\n");
  ASSERT_TRUE(p) << p.message();
  EXPECT_EQ(p->mode, Mode::enforce);
  EXPECT_EQ(p->max_age, 604800);
  EXPECT_EQ(p->mx, (std::vector<std::string>{"mail.example.com", "*.example.net",
                                             "backupmx.example.com"}));
}

TEST(MtaStsPolicy, LfLinesUnknownKeysAndModeNone) {
  auto p = parse_policy("mode: testing\nversion: STSv1\nmx: MX.Example.com.\nmax_age:86400\nfoo: bar\n");
  ASSERT_TRUE(p) << p.message();
  EXPECT_EQ(p->mode, Mode::testing);
  EXPECT_EQ(p->mx, std::vector<std::string>{"mx.example.com"});
  auto none = parse_policy("version: STSv1\nmode: none\nmax_age: 0\n");
  ASSERT_TRUE(none) << none.message();
  EXPECT_EQ(none->mode, Mode::none);
}

TEST(MtaStsPolicy, RefusesWhatIsMalformed) {
  const std::string ok_tail = "mx: mx.example.com\nmax_age: 86400\n";
  for (const std::string& bad : std::vector<std::string>{std::string("mode: enforce\n") + ok_tail,                            // no version
        "version: STSv1\n" + ok_tail,                                         // no mode
        "version: STSv1\nmode: enforce\nmx: mx.example.com\n",                // no max_age
        "version: STSv1\nmode: enforce\nmax_age: 86400\n",                    // no mx
        "version: STSv2\nmode: enforce\n" + ok_tail,                          // version
        "version: STSv1\nmode: Enforce\n" + ok_tail,                          // mode
        "version: STSv1\nmode: enforce\nmode: none\n" + ok_tail,              // twice
        "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 31557601\n",
        "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: -1\n",
        "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 1e5\n",
        "version: STSv1\nmode: enforce\nmx: mx..example.com\nmax_age: 1\n",
        "version: STSv1\nmode: enforce\nmx: a.*.example.com\nmax_age: 1\n",
        "version: STSv1\nmode: enforce\nmx:\nmax_age: 1\n",
        "version STSv1\nmode: enforce\n" + ok_tail,                           // no colon
        "version: STSv1\nmode: enforce\n-bad: x\n" + ok_tail})
    EXPECT_FALSE(parse_policy(bad)) << bad;
  EXPECT_FALSE(parse_policy(std::string(kMaxPolicy + 1, '\n')));
}

TEST(MtaStsPatterns, WildcardIsOneLeftmostLabel) {
  Policy p;
  p.mx = {"mx.example.com", "*.example.net"};
  EXPECT_TRUE(mx_matches(p, "MX.example.com"));
  EXPECT_TRUE(mx_matches(p, "mx.example.com."));
  EXPECT_TRUE(mx_matches(p, "a.example.net"));
  EXPECT_FALSE(mx_matches(p, "a.b.example.net"));
  EXPECT_FALSE(mx_matches(p, "example.net"));
  EXPECT_FALSE(mx_matches(p, "mx.example.com.evil"));
  EXPECT_FALSE(mx_matches(p, "xmx.example.com"));
}

TEST(MtaStsHttp, TakesTheBodyOfA200TextPlain) {
  auto b = policy_body(
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n\r\nhello");
  ASSERT_TRUE(b) << b.message();
  EXPECT_EQ(*b, "hello");
  EXPECT_EQ(*policy_body("HTTP/1.0 200 OK\r\ncontent-type: TEXT/PLAIN\r\n\r\nbody"), "body");
}

TEST(MtaStsHttp, RefusesRedirectsOtherTypesAndShortBodies) {
  auto moved = policy_body("HTTP/1.1 301 Moved\r\nLocation: https://x/\r\n\r\n");
  ASSERT_FALSE(moved);
  EXPECT_NE(moved.message().find("redirect"), std::string::npos);
  EXPECT_FALSE(policy_body("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n\r\n"));
  EXPECT_FALSE(policy_body("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\nx"));
  EXPECT_FALSE(policy_body("HTTP/1.1 200 OK\r\n\r\nx"));
  EXPECT_FALSE(policy_body("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nx"));
  EXPECT_FALSE(policy_body(
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n"));
  EXPECT_FALSE(policy_body("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"));
  EXPECT_FALSE(policy_body("SMTP 200 OK\r\nContent-Type: text/plain\r\n\r\n"));
  EXPECT_FALSE(policy_body("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" +
                           std::string(kMaxPolicy + 1, 'x')));
}

}  // namespace
}  // namespace appliance::mta_sts
