// NAME
//   settings_test.cpp - the [accounts] section: defaults, values, precise errors.
#include "auth/settings.h"

#include <gtest/gtest.h>

namespace appliance::auth {
namespace {

config::Document parse(const std::string& text) {
  return config::parse(text, "appliance.conf").value();
}

TEST(AccountSettings, Defaults) {
  auto s = read_account_settings(parse("[appliance]\n")).value();
  EXPECT_EQ(s.argon2, (Argon2Params{19456, 2, 1}));
  EXPECT_EQ(s.retention.login_days, 180);
  EXPECT_EQ(s.retention.closed_account_days, 30);
}

TEST(AccountSettings, Values) {
  auto s = read_account_settings(parse(
      "[accounts]\npassword_memory_kib = 65536\npassword_iterations = 3\n"
      "password_parallelism = 2\nlogin_log_days = 90\nclosed_account_days = 0\n"));
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(s->argon2, (Argon2Params{65536, 3, 2}));
  EXPECT_EQ(s->retention.login_days, 90);
  EXPECT_EQ(s->retention.closed_account_days, 0);
}

TEST(AccountSettings, PreciseErrors) {
  auto zero = read_account_settings(parse("[accounts]\nlogin_log_days = 0\n"));
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.message().find("appliance.conf:2: [accounts] key 'login_log_days'"),
            std::string::npos)
      << zero.message();
  EXPECT_FALSE(read_account_settings(parse("[accounts]\npassword_memory_kib = 64\n")));
  EXPECT_FALSE(read_account_settings(parse("[accounts]\nlogin_days = 9\n")));
}

}  // namespace
}  // namespace appliance::auth
