// NAME
//   session_test.cpp - the session cookie read from a Cookie header.
#include <gtest/gtest.h>

#include "webd/sessions.h"

namespace appliance::webd {
namespace {

TEST(SessionCookie, OnlyTheExactShapeOfAnIdIsTaken) {
  std::string id(43, 'a');
  EXPECT_EQ(session_cookie("__Host-session=" + id), id);
  EXPECT_EQ(session_cookie("theme=dark; __Host-session=" + id + "; x=y"), id);
  EXPECT_EQ(session_cookie("__Host-session=" + id.substr(1)), "");
  EXPECT_EQ(session_cookie("__Host-session=" + id.substr(1) + "!"), "");
  EXPECT_EQ(session_cookie("session=" + id), "");
  EXPECT_EQ(session_cookie(""), "");
  EXPECT_EQ(session_cookie(";;="), "");
  EXPECT_EQ(set_session_cookie(id),
            "__Host-session=" + id + "; Path=/; Secure; HttpOnly; SameSite=Strict");
}

}  // namespace
}  // namespace appliance::webd
