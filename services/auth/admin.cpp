// NAME
//   admin.cpp - checked names, tenants found, accounts made with their folders.
#include "auth/admin.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "auth/account_service.h"
#include "auth/encoding.h"

namespace appliance::auth {
namespace {

// RFC 6154 names: imapd maps them to \Sent, \Drafts, \Junk, \Trash, \Archive.
constexpr std::string_view kDefaultFolders[] = {"INBOX", "Sent",  "Drafts",
                                                "Junk",  "Trash", "Archive"};

}  // namespace

Result<std::string> checked_domain(std::string_view text) {
  std::string domain = lower(text);
  if (!smtp::valid_domain(domain, false) || domain.find('.') == std::string::npos)
    return make_error(fmt::format("\"{}\" is not a domain name (like example.com)", text));
  return domain;
}

Result<smtp::Mailbox> checked_address(std::string_view text) {
  auto parsed = smtp::parse_path("<" + lower(text) + ">", {});
  if (parsed.fault != smtp::PathFault::none || parsed.used != text.size() + 2 ||
      parsed.mailbox.domain.empty() || parsed.mailbox.domain.front() == '[')
    return make_error(fmt::format("\"{}\" is not a mail address (like alice@example.com){}", text,
                                  parsed.why.empty() ? "" : ": " + parsed.why));
  return parsed.mailbox;
}

Result<std::string> checked_tenant_name(std::string_view text) {
  bool control =
      std::any_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
  if (text.empty() || text.size() > 64 || control)
    return make_error("a tenant name is 1 to 64 characters, none of them a control character");
  return std::string(text);
}

Result<std::uint64_t> parse_size(std::string_view text) {
  std::uint64_t n = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
  std::string_view unit(end, text.data() + text.size() - end);
  int shift = unit.empty()  ? 0
              : unit == "K" ? 10
              : unit == "M" ? 20
              : unit == "G" ? 30
              : unit == "T" ? 40
                            : -1;
  if (error != std::errc() || end == text.data() || shift < 0 || (n >> (63 - shift)) != 0)
    return make_error(fmt::format("\"{}\" is not a size (like 5G, 500M or 0 for no limit)", text));
  return n << shift;
}

Result<std::optional<store::Tenant>> find_tenant(store::Store& store, std::string_view which) {
  auto all = store.tenants();
  if (!all) return all.error();
  for (const store::Tenant& t : *all)
    if (t.name == which || std::to_string(t.id) == which) return std::optional<store::Tenant>(t);
  return std::optional<store::Tenant>();
}

Result<std::string> tenant_name(store::Store& store, store::Id tenant) {
  auto all = store.tenants();
  if (!all) return all.error();
  for (const store::Tenant& t : *all)
    if (t.id == tenant) return t.name;
  return std::to_string(tenant);
}

Result<store::Account> create_account(store::TenantStore& tenant, std::string_view address) {
  auto account = tenant.create_account(address);
  if (!account) return account.error();
  for (std::string_view folder : kDefaultFolders)
    if (auto m = tenant.create_mailbox(account->id, folder); !m)
      return make_error(fmt::format("{}: folder {}: {}", address, folder, m.message()));
  return account;
}

Secret generated_password() {
  return Secret(base32_lower(random_bytes(15)));
}

}  // namespace appliance::auth
