// NAME
//   accounts.cpp - the account service over the store.
//
// DESCRIPTION
//   Recipients: an account of the address's domain, else an alias, else the
//   domain's catch-all. Senders: the account's own address or an alias that
//   leads to it. Logins are refused until passwords can be set.
#include "smtpd/accounts.h"

#include <algorithm>

namespace appliance::smtpd {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

class StoreAccounts final : public Accounts, auth::Directory, auth::LoginService {
 public:
  explicit StoreAccounts(store::Store& store) : store_(store) {}
  auth::Directory& directory() override { return *this; }
  auth::LoginService& logins() override { return *this; }

  Result<auth::Resolution> resolve(std::string_view address) override {
    std::string a = lower(address);
    auth::Resolution r;
    auto at = a.rfind('@');
    if (at == std::string::npos) return r;
    auto domain = store_.find_domain(a.substr(at + 1));
    if (!domain) return r;  // not one of ours
    r.local_domain = true;
    auto tenant = store_.tenant(domain->tenant);
    if (!tenant) return tenant.error();
    auto& t = **tenant;
    if (auto account = t.find_account(a))
      return r.recipients.push_back({t.id(), account->id, account->address}), r;
    auto aliases = t.alias(a);
    if (!aliases) return aliases.error();
    for (const auto& alias : *aliases)
      r.recipients.push_back({t.id(), alias.account, alias.target});
    if (!r.recipients.empty()) return r;
    auto all = t.catch_all(a.substr(at + 1));
    if (!all) return all.error();
    if (*all) r.recipients.push_back({t.id(), (*all)->account, (*all)->target});
    return r;
  }

  Result<bool> may_send_as(std::string_view account, std::string_view sender) override {
    std::string s = lower(sender), own = lower(account);
    if (s == own) return true;
    auto domain = store_.find_domain(s.substr(s.rfind('@') + 1));
    if (!domain) return false;
    auto tenant = store_.tenant(domain->tenant);
    if (!tenant) return tenant.error();
    // Aliases only: a catch-all does not make every address of its domain the owner's.
    auto aliases = (*tenant)->alias(s);
    if (!aliases) return aliases.error();
    return std::any_of(aliases->begin(), aliases->end(),
                       [&](const store::Alias& a) { return a.target == own; });
  }

  Result<auth::LoginOutcome> login(const auth::LoginAttempt&) override {
    return auth::LoginOutcome{};
  }

 private:
  store::Store& store_;
};

}  // namespace

Result<std::unique_ptr<Accounts>> open_accounts(store::Store& store, keyd::KeydClient&) {
  return std::unique_ptr<Accounts>(std::make_unique<StoreAccounts>(store));
}

}  // namespace appliance::smtpd
