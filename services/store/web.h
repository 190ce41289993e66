// NAME
//   web.h - what the store keeps for the web daemon: signed-in sessions and
//   API keys, and an account's own security events.
//
// DESCRIPTION
//   WebStore is Store::web(), in the system data (a session or an API key
//   is found before its tenant is known). The store keeps only what it is
//   given: a session is found by the HMAC of its id and an API key by its
//   token id; both MACs are made by the account service with a key that
//   stays in keyd. Nothing here is a secret in clear.
//
//   A lookup that finds nothing answers an empty optional, not an error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/accounts.h"

namespace appliance::store {

struct WebSession {
  std::string mac;  // HMAC-SHA256 of the session id: the row's key
  Id tenant = 0;
  Id account = 0;
  std::string address;
  bool full = false;        // false: the password checked out, the second factor is due
  std::string csrf;         // the token state-changing requests must carry
  std::int64_t created = 0, last_seen = 0, expires = 0;  // Unix seconds
  std::int64_t sudo_until = 0;                           // 0: not in sudo mode
  std::string source, agent;
  std::string totp_key, totp_pending;  // a seed sealed while enrolment awaits its first code
};

struct ApiKey {
  std::string id;  // the token id: finds the row, may be shown
  Id tenant = 0;
  Id account = 0;
  std::string address;  // the creator's
  std::string name;
  std::string key;     // pepper version
  std::string mac;
  std::string grants;  // auth::Grant texts, comma-separated
  std::optional<std::int64_t> expires;
  std::int64_t created = 0;
  std::optional<std::int64_t> last_used, revoked;
};

class WebStore {
 public:
  virtual ~WebStore() = default;

  virtual Result<void> add_session(const WebSession& session) = 0;
  virtual Result<std::optional<WebSession>> session(std::string_view mac) = 0;
  // Writes full, csrf, last_seen, expires, sudo_until and the pending seed.
  virtual Result<void> update_session(const WebSession& session) = 0;
  // False when there was none.
  virtual Result<bool> remove_session(std::string_view mac) = 0;
  // Every session of the account (signed out everywhere); how many went.
  virtual Result<std::uint64_t> remove_sessions(Id tenant, Id account) = 0;
  // Those whose expiry is before `now`; how many went.
  virtual Result<std::uint64_t> purge_sessions(std::int64_t now) = 0;

  virtual Result<void> add_api_key(const ApiKey& key) = 0;
  virtual Result<std::optional<ApiKey>> api_key(std::string_view id) = 0;
  virtual Result<std::vector<ApiKey>> api_keys(Id tenant, Id account) = 0;
  // False when the account has no such key that is not revoked yet.
  virtual Result<bool> revoke_api_key(Id tenant, Id account, std::string_view id,
                                      std::int64_t when) = 0;
  virtual Result<void> api_key_used(std::string_view id, std::int64_t when) = 0;

  // Security events whose target is `target`, newest first.
  virtual Result<std::vector<EventRow>> events_about(std::string_view target,
                                                     std::size_t limit) = 0;
};

}  // namespace appliance::store
