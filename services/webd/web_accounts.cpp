// NAME
//   web_accounts.cpp - the parts of webd's account service.
#include "webd/web_accounts.h"

#include <filesystem>

namespace appliance::webd {

WebAccounts::WebAccounts(store::Store& store, keyd::KeydClient& keyd, std::string issuer,
                         std::optional<auth::BreachedList> breached)
    : keys_(keyd),
      breached_(std::move(breached)),
      policy_(breached_ ? &*breached_ : nullptr),
      dkim_keys_(store, keyd),
      dkim_{dkim_keys_, keyd},
      accounts_({store, keys_, clock_, policy_, {}, &cache_, &dkim_}),
      two_factor_(accounts_, throttle_, std::move(issuer)),
      sessions_(store.web(), keys_, clock_),
      parts_{store, accounts_, logins_, two_factor_, api_keys_, confirmations_, sessions_, clock_,
             &keyd} {
}

std::string breached_list_path() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return (self.parent_path().parent_path() / "share" / "appliance" / "common-passwords.txt")
      .string();
}

}  // namespace appliance::webd
