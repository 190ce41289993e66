// NAME
//   notice_test.cpp - the sign-in notice: its facts, and nothing a client can
//   turn into a link or a header.
#include "auth/notice.h"

#include <gtest/gtest.h>

namespace appliance::auth {
namespace {

TEST(Notice, TellsTheFactsAndNeverLinks) {
  SignInFacts f{"alice@example.test", 1700000000, "imap", "192.0.2.7",
                "https://evil.example/login\r\nBcc: x@y", true, false};
  std::string m = sign_in_notice(f, "n1@example.test");
  EXPECT_EQ(m.rfind("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n", 0), 0u) << m;
  EXPECT_NE(m.find("From: Mail appliance <postmaster@example.test>\r\n"), std::string::npos);
  EXPECT_NE(m.find("Auto-Submitted: auto-generated\r\n"), std::string::npos);
  EXPECT_NE(m.find("from a new address.\r\n"), std::string::npos);
  EXPECT_NE(m.find("  Address:  192.0.2.7\r\n"), std::string::npos);
  EXPECT_NE(m.find("  Program:  https___evil_example_login__Bcc_ x_y\r\n"), std::string::npos) << m;
  EXPECT_EQ(m.find("://"), std::string::npos);
  EXPECT_EQ(m.find("\r\nBcc"), std::string::npos);
  EXPECT_EQ(m.find("www."), std::string::npos);
}

TEST(Notice, DefangedClientKeepsVersionsReadable) {
  EXPECT_EQ(defanged_client("Thunderbird 115.3.1"), "Thunderbird 115.3.1");
  EXPECT_EQ(defanged_client("Mozilla/5.0 (X11; Linux)"), "Mozilla_5.0 (X11; Linux)");
  EXPECT_EQ(defanged_client("www.phish.example"), "www_phish_example");
  EXPECT_EQ(defanged_client(""), "(none given)");
  EXPECT_EQ(defanged_client(std::string(500, 'a')).size(), 100u);
}

}  // namespace
}  // namespace appliance::auth
