// NAME
//   memory_directory.h - the account service in memory, for unit tests.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "auth/directory.h"

namespace appliance::smtpd::testing {

class MemoryDirectory final : public auth::Directory, public auth::LoginService {
 public:
  std::set<std::string> domains;
  std::map<std::string, std::vector<auth::Recipient>> addresses;  // lowercase
  std::map<std::string, std::string> passwords;                   // account -> password
  std::map<std::string, std::set<std::string>> senders;           // account -> may send as
  bool broken = false;                                            // every call fails
  bool throttled = false;
  std::vector<auth::LoginAttempt> attempts;

  Result<auth::Resolution> resolve(std::string_view address) override {
    if (broken) return make_error("store unavailable");
    std::string a(address);
    for (char& c : a) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auth::Resolution r;
    r.local_domain = domains.count(a.substr(a.rfind('@') + 1)) > 0;
    if (auto it = addresses.find(a); r.local_domain && it != addresses.end())
      r.recipients = it->second;
    return r;
  }

  Result<bool> may_send_as(std::string_view account, std::string_view sender) override {
    if (broken) return make_error("store unavailable");
    auto it = senders.find(std::string(account));
    return it != senders.end() && it->second.count(std::string(sender)) > 0;
  }

  Result<auth::LoginOutcome> login(const auth::LoginAttempt& attempt) override {
    attempts.push_back(attempt);
    if (broken) return make_error("store unavailable");
    auth::LoginOutcome out;
    if (throttled) {
      out.retry_after = std::chrono::seconds(60);
      return out;
    }
    auto it = passwords.find(attempt.user);
    if (it == passwords.end() || !attempt.password.equals(it->second)) return out;
    out.ok = true;
    out.address = attempt.user;
    return out;
  }
};

}  // namespace appliance::smtpd::testing
