// NAME
//   settings.cpp - reading the `[accounts]` section.
#include "auth/settings.h"

namespace appliance::auth {

Result<AccountSettings> read_account_settings(const config::Document& doc) {
  config::Reader r(doc, "accounts");
  AccountSettings s;
  Argon2Params& a = s.argon2;
  a.memory_kib = static_cast<std::uint32_t>(
      r.integer("password_memory_kib", 8192, 1048576, a.memory_kib));
  a.iterations = static_cast<std::uint32_t>(r.integer("password_iterations", 1, 16, a.iterations));
  a.parallelism =
      static_cast<std::uint32_t>(r.integer("password_parallelism", 1, 8, a.parallelism));
  RetentionPolicy& p = s.retention;
  p.login_days = static_cast<int>(r.integer("login_log_days", 1, 3650, p.login_days));
  p.closed_account_days =
      static_cast<int>(r.integer("closed_account_days", 0, 3650, p.closed_account_days));
  s.sign_in_notices = r.boolean("sign_in_notices", s.sign_in_notices);
  if (auto done = r.finish(); !done) return done.error();
  return s;
}

Result<void> read_account_settings(const config::Document& doc, AccountSettings& settings) {
  auto read = read_account_settings(doc);
  if (!read) return read.error();
  settings = *read;
  return {};
}

}  // namespace appliance::auth
