// NAME
//   store_access.h - the store as appliancectl opens it: through keyd, which
//   wraps and unwraps the accounts' data keys.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "auth/account_service.h"
#include "auth/settings.h"
#include "store/store.h"

namespace appliance::ctl {

// Prints "appliancectl: message" on standard error; returns exit status 1.
int fail(const std::string& message);
// The message of the last fail() of this process, for a report that outlives
// standard error (the store check's verdict); empty if none.
const std::string& last_failure();

// Opens the store of the state directory `home`, the backend its
// configuration names (SQLite under <home>/store by default), with keyd's
// data keys and runs `action` on it. keyd must be ready: without
// it no data key opens, and the caller is told that rather than a fault per
// account. With `create` false, a store that does not exist yet is reported
// ("no store yet") and the action is not run.
int with_store(const std::filesystem::path& home, bool create,
               const std::function<int(store::Store&)>& action);

// The same, with the account service over that store and keyd's peppers;
// new passwords are checked against the breached-password list
// (breached_list_path()).
int with_accounts(const std::filesystem::path& home,
                  const std::function<int(store::Store&, auth::AccountService&)>& action);

using SettingsAction =
    std::function<int(store::Store&, auth::AccountService&, const auth::AccountSettings&)>;
// The same, also giving the [accounts] section the service was made with
// (defaults without a configuration file); the file is read once for both.
int with_account_settings(const std::filesystem::path& home, const SettingsAction& action);

using AccountAction = std::function<int(store::Store&, auth::AccountService&)>;
// A command's callback: with_accounts(home, action), its status kept in exit_code.
std::function<void()> accounts_callback(const std::filesystem::path& home, int& exit_code,
                                        AccountAction action);
// The same for an action that needs only the account service.
std::function<void()> service_callback(const std::filesystem::path& home, int& exit_code,
                                       std::function<int(auth::AccountService&)> action);

// <directory of this program>/../share/appliance/common-passwords.txt, unless
// APPLIANCE_BREACHED_LIST names another list.
std::filesystem::path breached_list_path();

}  // namespace appliance::ctl
