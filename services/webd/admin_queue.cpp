// NAME
//   admin_queue.cpp - /api/v1/admin/queue: the outbound queue of every
//   tenant, as `appliancectl queue list | show | retry | hold | release |
//   delete` manages it.
//
// DESCRIPTION
//   An entry is named TENANT.ENTRY ("1.7"), as the CLI names it: queue ids
//   are per tenant. `retry` makes an entry due now (a held one stays held),
//   deliverd takes it at its next poll; `hold` keeps it from being tried
//   until `release`; DELETE drops it without a bounce. The list is filtered
//   by state (queued, held), sender, recipient (substrings, any case) and
//   limited (1 to 1000, 100), oldest first.
//
// SECURITY
//   An appliance admin reaches every tenant's queue, a tenant admin its own
//   (another tenant's entry is 404, as one that does not exist), an auditor
//   reads and changes nothing (403). The envelope and the last replies are
//   answered; the message itself stays sealed and is never read here. Every
//   change is a security event (admin.queue_retry|hold|release|delete) with
//   the caller as actor and the sender as target, so a tenant admin sees
//   the events about its own mail.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <functional>

#include "auth/account_service.h"
#include "webd/admin.h"
#include "webd/handlers.h"
#include "webd/http.h"

namespace appliance::webd {
namespace {

using nlohmann::json;

struct EntryName {
  store::Id tenant = 0;
  store::QueueId entry = 0;
};

bool positive(std::string_view s, std::int64_t& v) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size() && v > 0;
}

std::optional<EntryName> parse_name(std::string_view text) {
  EntryName n;
  auto dot = text.find('.');
  if (dot == std::string_view::npos || !positive(text.substr(0, dot), n.tenant) ||
      !positive(text.substr(dot + 1), n.entry))
    return std::nullopt;
  return n;
}

std::string name_text(store::Id tenant, store::QueueId entry) {
  return fmt::format("{}.{}", tenant, entry);
}

std::size_t pending(const store::QueueEntry& e) {
  std::size_t n = 0;
  for (const auto& r : e.recipients) n += r.state == store::RecipientState::pending;
  return n;
}

json entry_json(const store::Tenant& t, const store::QueueEntry& e) {
  return {{"id", name_text(t.id, e.id)},
          {"tenant", t.name},
          {"sender", e.sender},
          {"size", e.size},
          {"created", e.created},
          {"next_attempt", e.next_attempt},
          {"last_attempt", e.last_attempt},
          {"attempts", e.attempts},
          {"state", e.held ? "held" : "queued"},
          {"pending", pending(e)},
          {"recipients", e.recipients.size()}};
}

json recipients_json(const store::QueueEntry& e) {
  json out = json::array();
  for (const auto& r : e.recipients)
    out.push_back({{"address", r.address},
                   {"state", store::to_string(r.state)},
                   {"reply", r.reply},
                   {"host", r.host},
                   {"tls_policy", r.tls_policy},
                   {"tls_version", r.tls_version},
                   {"updated", r.updated}});
  return out;
}

bool contains_lower(std::string_view text, std::string_view lower_needle) {
  return auth::lower(text).find(lower_needle) != std::string::npos;
}

struct Filter {
  std::string state, sender, recipient;
  std::size_t limit = 100;

  bool keeps(const store::QueueEntry& e) const {
    if (!state.empty() && state != (e.held ? "held" : "queued")) return false;
    if (!sender.empty() && !contains_lower(e.sender, sender)) return false;
    if (recipient.empty()) return true;
    return std::any_of(e.recipients.begin(), e.recipients.end(),
                       [&](const auto& r) { return contains_lower(r.address, recipient); });
  }
};

std::optional<HttpResponse> read_filter(const Call& call, Filter& f) {
  for (auto [name, field] :
       {std::pair{"state", &f.state}, {"sender", &f.sender}, {"recipient", &f.recipient}}) {
    auto v = query_param(call, name);
    if (!v || v->size() > 254)
      return bad_input(fmt::format("\"{}\" is badly encoded or too long", name));
    *field = auth::lower(*v);
  }
  if (!f.state.empty() && f.state != "queued" && f.state != "held")
    return bad_input("\"state\" must be queued or held");
  return read_limit(call, f.limit);
}

// The entry at the path, if the caller sees its tenant; a response otherwise.
struct Located {
  store::Tenant tenant;
  std::shared_ptr<store::TenantStore> store;
  store::QueueEntry entry;
};

std::optional<HttpResponse> visible_entry(Call& call, const Admin& admin, Located& out) {
  auto decoded = percent_decode(call.param);
  auto n = decoded ? parse_name(*decoded) : std::nullopt;
  if (!n || !admin.sees(n->tenant)) return not_found("no such queue entry");
  auto tenants = call.parts.store.tenants();
  if (!tenants) return unavailable(tenants.error());
  auto t = std::find_if(tenants->begin(), tenants->end(),
                        [&](const store::Tenant& t) { return t.id == n->tenant; });
  if (t == tenants->end()) return not_found("no such queue entry");
  auto ts = call.parts.store.tenant(t->id);
  if (!ts) return unavailable(ts.error());
  auto e = (*ts)->queue().entry(n->entry);
  if (!e) return unavailable(e.error());
  if (!*e) return not_found("no such queue entry");
  out = {*t, std::move(*ts), std::move(**e)};
  return std::nullopt;
}

using Change = std::function<Result<bool>(store::TenantQueue&, store::QueueId)>;

// One of the administrator's verbs on the entry at the path, recorded as `action`.
HttpResponse change_entry(Call& call, std::string_view action, const Change& change) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return *r;
  if (!admin.changes_any()) return forbidden("an auditor changes nothing");
  Located at;
  if (auto r = visible_entry(call, admin, at)) return *r;
  if (!admin.changes(at.tenant.id)) return forbidden("an auditor changes nothing");
  auto done = change(at.store->queue(), at.entry.id);
  if (!done) return unavailable(done.error());
  if (!*done) return not_found("no such queue entry");
  const std::string id = name_text(at.tenant.id, at.entry.id);
  auto e = note(call, fmt::format("admin.queue_{}", action),
                at.entry.sender.empty() ? id : at.entry.sender,
                {{"id", id}, {"tenant", at.tenant.name}});
  if (!e) return unavailable(e.error());
  if (action == "delete") return {204, {}, {}};
  auto after = at.store->queue().entry(at.entry.id);
  if (!after) return unavailable(after.error());
  if (!*after) return not_found("no such queue entry");
  return json_response(200, entry_json(at.tenant, **after));
}

std::int64_t now(const Call& call) {
  return call.parts.clock.unix_seconds();
}

}  // namespace

namespace handlers {

HttpResponse admin_queue(Call& call) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return *r;
  Filter f;
  if (auto r = read_filter(call, f)) return *r;
  auto tenants = call.parts.store.tenants();
  if (!tenants) return unavailable(tenants.error());
  json out = json::array();
  for (const store::Tenant& t : *tenants) {
    if (!admin.sees(t.id)) continue;
    auto ts = call.parts.store.tenant(t.id);
    if (!ts) return unavailable(ts.error());
    auto entries = (*ts)->queue().entries();
    if (!entries) return unavailable(entries.error());
    for (const auto& e : *entries)
      if (out.size() < f.limit && f.keeps(e)) out.push_back(entry_json(t, e));
  }
  return json_response(200, {{"entries", out}});
}

HttpResponse admin_queue_entry(Call& call) {
  Admin admin;
  if (auto r = admin_of(call, admin)) return *r;
  Located at;
  if (auto r = visible_entry(call, admin, at)) return *r;
  json out = entry_json(at.tenant, at.entry);
  out["recipients"] = recipients_json(at.entry);
  out["delay_notified"] = at.entry.delay_notified;
  return json_response(200, out);
}

HttpResponse admin_queue_retry(Call& call) {
  std::int64_t when = now(call);
  return change_entry(call, "retry", [when](store::TenantQueue& q, store::QueueId id) {
    return q.reschedule(id, when);
  });
}

HttpResponse admin_queue_hold(Call& call) {
  return change_entry(
      call, "hold", [](store::TenantQueue& q, store::QueueId id) { return q.set_held(id, true); });
}

HttpResponse admin_queue_release(Call& call) {
  return change_entry(call, "release", [](store::TenantQueue& q, store::QueueId id) {
    return q.set_held(id, false);
  });
}

HttpResponse admin_queue_delete(Call& call) {
  return change_entry(call, "delete",
                      [](store::TenantQueue& q, store::QueueId id) { return q.remove(id); });
}

}  // namespace handlers
}  // namespace appliance::webd
