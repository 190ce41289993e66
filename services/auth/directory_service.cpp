// NAME
//   directory_service.cpp - accounts, then aliases, then the catch-all.
#include "auth/directory_service.h"

#include <algorithm>

namespace appliance::auth {
namespace {

// "alice+lists@example.test" -> "alice@example.test"; empty when there is no tag.
std::string without_tag(const std::string& address) {
  auto at = address.rfind('@');
  auto plus = address.find('+');
  if (plus == std::string::npos || at == std::string::npos || plus > at || plus == 0) return "";
  return address.substr(0, plus) + address.substr(at);
}

void add_once(std::vector<Recipient>& to, Recipient r) {
  if (std::none_of(to.begin(), to.end(),
                   [&](const Recipient& x) { return x.account == r.account; }))
    to.push_back(std::move(r));
}

}  // namespace

Result<std::vector<Recipient>> StoreDirectory::exact(
    const Located& where, const std::string& address,
    const std::optional<store::AccountSecurity>& account) {
  std::vector<Recipient> out;
  if (account) {
    if (account->state != store::AccountState::closed)
      out.push_back({where.domain.tenant, account->id, account->address});
    return out;
  }
  auto links = where.tenant->alias(address);
  if (!links) return links.error();
  for (const store::Alias& l : *links) add_once(out, {where.domain.tenant, l.account, l.target});
  return out;
}

Result<Resolution> StoreDirectory::resolve(std::string_view address) {
  Resolution r;
  auto where = accounts_.find(address);
  if (!where) return where.error();
  if (!*where) return r;
  r.local_domain = true;
  std::string a = lower(address);
  // find() has read the account with the whole address already: one statement less per RCPT.
  auto found = exact(**where, a, (*where)->account);
  if (!found) return found.error();
  if (!found->empty()) return r.recipients = std::move(*found), r;
  if (std::string untagged = without_tag(a); !untagged.empty()) {
    auto account = (*where)->tenant->security(untagged);
    if (!account) return account.error();
    found = exact(**where, untagged, *account);
    if (!found) return found.error();
    if (!found->empty()) return r.recipients = std::move(*found), r;
  }
  auto all = (*where)->tenant->catch_all((*where)->domain.name);
  if (!all) return all.error();
  if (*all) r.recipients.push_back({(*where)->domain.tenant, (*all)->account, (*all)->target});
  return r;
}

Result<bool> StoreDirectory::may_send_as(std::string_view account, std::string_view sender) {
  std::string own = lower(account), from = lower(sender);
  if (own == from) return true;
  auto where = accounts_.find(from);
  if (!where) return where.error();
  if (!*where || (*where)->account) return false;  // not ours, or someone else's account
  auto links = (*where)->tenant->alias(from);
  if (!links) return links.error();
  return std::any_of(links->begin(), links->end(),
                     [&](const store::Alias& l) { return l.target == own; });
}

}  // namespace appliance::auth
