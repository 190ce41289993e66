// NAME
//   settings.h - the `[accounts]` section: password cost and retention.
//
// DESCRIPTION
//   One section for what every process that handles accounts must agree on:
//
//     password_memory_kib   19456  Argon2id memory per password hash (8192 to 1048576)
//     password_iterations       2  Argon2id passes (1 to 16)
//     password_parallelism      1  Argon2id lanes (1 to 8)
//     login_log_days          180  days login-log entries are kept (1 to 3650)
//     closed_account_days      30  days a closed account is kept (0 to 3650)
//     sign_in_notices         yes  a notice mail on a sign-in from a new place (auth/notice.h)
//
//   A new password is hashed at the configured cost; one stored at another
//   cost still verifies, and is hashed again at the new cost on its next
//   successful login.
#pragma once

#include "auth/password.h"
#include "auth/retention.h"
#include "common/config.h"
#include "common/result.h"

namespace appliance::auth {

struct AccountSettings {
  Argon2Params argon2;
  RetentionPolicy retention;
  bool sign_in_notices = true;
};

// Defaults where a key is absent; an error names the file, line and key.
Result<AccountSettings> read_account_settings(const config::Document& doc);
// The same into `settings`, left as it was on an error: for a daemon's
// Service::configure_shared() (common/daemon.h).
Result<void> read_account_settings(const config::Document& doc, AccountSettings& settings);

}  // namespace appliance::auth
