// NAME
//   admin.h - who administers: the caller's rights under /api/v1/admin, and
//   what they may see and change.
//
// DESCRIPTION
//   An appliance admin sees and changes everything; a tenant admin sees and
//   changes only its own tenant's domains, accounts and aliases; an auditor
//   sees everything and changes nothing; a user has no part here. An API key
//   acts with the grants it carries, each still held by its account (a key
//   of an admin who was made a user since is a user's key).
//
//   Objects of a tenant the caller may not see are answered 404, as if they
//   did not exist; a change the caller's role never allows is 403.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "webd/api.h"

namespace appliance::webd {

struct Admin {
  bool appliance = false;           // appliance admin
  bool auditor = false;             // reads every log and list
  std::optional<store::Id> tenant;  // tenant admin of this tenant

  bool sees(store::Id t) const { return appliance || auditor || tenant == t; }
  bool changes(store::Id t) const { return appliance || tenant == t; }
  bool changes_any() const { return appliance || tenant.has_value(); }
};

// The caller's rights in `admin`; a response instead when it has no part
// here (403 forbidden) or the store fails (503).
std::optional<HttpResponse> admin_of(Call& call, Admin& admin);
// Records an administrator's change as a security event, the caller as actor.
Result<void> note(Call& call, std::string action, std::string target,
                  const nlohmann::json& details);
// 403 forbidden: the caller's role does not allow this change.
HttpResponse forbidden(std::string_view message);
// 404 not_found, for what does not exist and what the caller may not see alike.
HttpResponse not_found(std::string_view what);

// The "{...}" segment of the path, percent-decoded, in lower case; empty when badly encoded.
std::string path_name(const Call& call);
// The decoded query parameter `name`; "" when absent; nullopt when badly encoded.
std::optional<std::string> query_param(const Call& call, std::string_view name);
// The query parameter "limit" of a list (1 to 1000) into `limit`, kept when
// absent; a 400 answer when it is badly encoded or out of range.
std::optional<HttpResponse> read_limit(const Call& call, std::size_t& limit);

}  // namespace appliance::webd
