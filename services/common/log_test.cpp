#include "common/log.h"

#include <gtest/gtest.h>

namespace appliance::log {
namespace {

TEST(Log, FieldsAreEscapedOntoOneLine) {
  EXPECT_EQ(format_line(Level::info, "listening", {{"name", "smtp"}, {"port", 2525}}),
            "info: listening name=smtp port=2525");
  EXPECT_EQ(format_line(Level::warning, "bad\ncommand", {{"line", "QUIT\r\nx=\"y\""}}),
            "warning: bad?command line=\"QUIT\\x0d\\x0ax=\\\"y\\\"\"");
  EXPECT_EQ(format_line(Level::error, "e", {{"empty", ""}}), "error: e empty=\"\"");
}

// That a Secret cannot be logged is checked at compile time: see
// testing/log_secret_compile_fail.cpp, built by a test that expects failure.
TEST(Log, SecretRevealIsExplicit) {
  Secret s("hunter2");
  EXPECT_TRUE(s.equals("hunter2"));
  EXPECT_FALSE(s.equals("hunter3"));
  Secret moved = std::move(s);
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(moved.reveal(), "hunter2");
}

}  // namespace
}  // namespace appliance::log
