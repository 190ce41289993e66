// NAME
//   api_keys.h - API keys: made for an account with a subset of its rights,
//   listed, revoked, and checked when presented as a bearer token.
//
// DESCRIPTION
//   A key reads `ak_<id>_<secret>` (tokens.h); only its HMAC under
//   `secret/api-pepper` is stored, in the system data (store/web.h) so that
//   a presented key finds its row without knowing the tenant. A key carries
//   grants (rights.h), each covered by one of its creator's when it is made,
//   an optional expiry, and is revocable. create() does not ask for a
//   password: the caller (webd) allows it only in sudo mode.
//
//   authenticate() answers whether a presented key is good now: known,
//   matching, not revoked, not expired, its account active. A refusal is
//   written to the login log (protocol api) with the reason; a success
//   updates the key's last use.
//
// SECURITY
//   An unknown id does the same keyd work as a known one (a stand-in row).
//   The reason for a refusal is for the log, never for the client.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/account_service.h"
#include "auth/cidr.h"
#include "auth/rights.h"

namespace appliance::auth {

struct NewApiKey {
  Secret text;  // shown once
  store::ApiKey stored;
};

struct ApiCaller {
  store::Id tenant = 0;
  store::Id account = 0;
  std::string address;
  Rights grants;
  std::string key;  // the key's id
};

struct ApiKeyCheck {
  bool ok = false;
  std::string reason;  // for the log only
  ApiCaller caller;
  bool note_use = false;  // the key's last use is older than kLastUseResolution
};

// A key's "last used" is written at most this often: every request writing
// it would make each authenticated GET a durable write, one sync each.
constexpr std::int64_t kLastUseResolution = 60;

class ApiKeys {
 public:
  explicit ApiKeys(AccountService& accounts) : accounts_(accounts) {}

  // What the account holds: its role, for a tenant admin in its own tenant.
  Result<Rights> rights_of(const Located& where);
  Result<NewApiKey> create(std::string_view address, std::string_view name, const Rights& requested,
                           std::optional<std::int64_t> expires, std::string_view actor);
  Result<std::vector<store::ApiKey>> list(std::string_view address);
  Result<void> revoke(std::string_view address, std::string_view id, std::string_view actor);
  Result<ApiKeyCheck> authenticate(const Secret& presented, const IpAddress& source,
                                   std::string_view client);

 private:
  Result<ApiKeyCheck> check(const Token& token);
  Result<void> log_refusal(const Secret& presented, const IpAddress& source,
                           std::string_view client, const std::string& reason);

  AccountService& accounts_;
};

std::string grants_text(const Rights& grants);
Result<Rights> parse_grants(std::string_view text);

}  // namespace appliance::auth
