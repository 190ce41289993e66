// NAME
//   admin.h - tenants, domains and accounts made as the administrator makes
//   them, from the command line (appliancectl) or the REST API (webd).
//
// DESCRIPTION
//   One implementation for both: names are checked with the SMTP parser's
//   rules (RFC 5321 4.1.2) and kept in lower case, a tenant is found by name
//   or id, and a new account gets its data key (through the store's data
//   key source, keyd) and the default folders. The checks are separate from
//   the changes, so a caller can tell bad input (its client's fault) from a
//   store fault.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/secret.h"
#include "proto/smtp/address.h"
#include "store/store.h"

namespace appliance::auth {

// A domain name with a dot, not a literal, in lower case.
Result<std::string> checked_domain(std::string_view text);
// An address as accounts are named: RFC 5321 syntax, a domain (not a
// literal), lower case.
Result<smtp::Mailbox> checked_address(std::string_view text);
// 1 to 64 characters, none of them a control character.
Result<std::string> checked_tenant_name(std::string_view text);
// Bytes, or with K, M, G or T ("5G", "500M"); 0: no limit.
Result<std::uint64_t> parse_size(std::string_view text);

// The tenant named `which` (its name or id); empty when there is none.
Result<std::optional<store::Tenant>> find_tenant(store::Store& store, std::string_view which);
// The tenant's name, or its id as text if it has none.
Result<std::string> tenant_name(store::Store& store, store::Id tenant);

// A new account (address already checked, its domain one of the store's)
// with the default folders: INBOX, Sent, Drafts, Junk, Trash, Archive.
Result<store::Account> create_account(store::TenantStore& tenant, std::string_view address);

// A password for an account made without one: 24 characters of lower-case
// base32 (120 random bits), which every password policy here accepts.
Secret generated_password();

}  // namespace appliance::auth
