// NAME
//   queue.cpp - the outbound queue of every tenant, for the administrator.
//
// DESCRIPTION
//   An entry is named TENANT.ENTRY ("1.7"): queue ids are per tenant. `retry`
//   makes an entry (or, with --all, every entry not held) due now, and
//   deliverd takes it at its next poll; `hold` keeps an entry from being
//   tried until `release`; `delete` drops it without a bounce. The envelope
//   and the last replies are shown; the message itself stays sealed.
#include "appliancectl/queue.h"

#include <fmt/format.h>

#include <charconv>
#include <ctime>
#include <iostream>
#include <memory>

#include "appliancectl/store_access.h"
#include "appliancectl/times.h"
#include "proto/smtp/syntax.h"

namespace appliance::ctl {
namespace {

struct Options {
  std::string id;
  bool all = false;
};

struct EntryName {
  store::Id tenant = 0;
  store::QueueId entry = 0;
};

Result<EntryName> parse_name(const std::string& text) {
  EntryName n;
  auto dot = text.find('.');
  auto number = [](std::string_view s, std::int64_t& v) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && end == s.data() + s.size() && v > 0;
  };
  if (dot == std::string::npos || !number(std::string_view(text).substr(0, dot), n.tenant) ||
      !number(std::string_view(text).substr(dot + 1), n.entry))
    return make_error(
        fmt::format("'{}' is not a queue id (TENANT.ENTRY, as `queue list` shows)", text));
  return n;
}

std::size_t pending(const store::QueueEntry& e) {
  std::size_t n = 0;
  for (const auto& r : e.recipients) n += r.state == store::RecipientState::pending;
  return n;
}

int list(store::Store& s) {
  auto tenants = s.tenants();
  if (!tenants) return fail(tenants.message());
  std::cout << fmt::format("{:<8} {:<16} {:<16} {:>8} {:>4} {:<6} {:>9} {}\n", "ID", "QUEUED",
                           "NEXT ATTEMPT", "SIZE", "TRY", "STATE", "PENDING", "SENDER");
  for (const auto& t : *tenants) {
    auto tenant = s.tenant(t.id);
    if (!tenant) return fail(tenant.message());
    auto entries = (*tenant)->queue().entries();
    if (!entries) return fail(entries.message());
    for (const auto& e : *entries)
      std::cout << fmt::format("{:<8} {:<16} {:<16} {:>8} {:>4} {:<6} {:>9} {}\n",
                               fmt::format("{}.{}", t.id, e.id), utc_time(e.created),
                               utc_time(e.next_attempt), e.size, e.attempts,
                               e.held ? "held" : "queued",
                               fmt::format("{}/{}", pending(e), e.recipients.size()), e.sender);
  }
  return 0;
}

int show_entry(const EntryName& n, const store::QueueEntry& e) {
  std::cout << fmt::format(
      "id: {}.{}\nsender: {}\nsize: {}\nqueued: {}\nattempts: {}\nlast attempt: {}\n"
      "next attempt: {}\nheld: {}\n",
      n.tenant, e.id, e.sender.empty() ? "<>" : e.sender, e.size, utc_time(e.created), e.attempts,
      utc_time(e.last_attempt ? std::optional<std::int64_t>(e.last_attempt) : std::nullopt),
      utc_time(e.next_attempt), e.held ? "yes" : "no");
  // The DSN options as the client gave them (RFC 3461), in xtext: printable whatever they hold.
  if (!e.ret.empty() || !e.envid.empty())
    std::cout << fmt::format("dsn:{}{}\n", e.ret.empty() ? "" : " RET=" + e.ret,
                             e.envid.empty() ? "" : " ENVID=" + smtp::encode_xtext(e.envid));
  for (const auto& r : e.recipients) {
    std::cout << fmt::format("recipient: {} {}\n", r.address, store::to_string(r.state));
    if (auto semi = r.dsn.orcpt.find(';'); !r.dsn.notify.empty() || semi != std::string::npos)
      std::cout << fmt::format(
          "  dsn:{}{}\n", r.dsn.notify.empty() ? "" : " NOTIFY=" + r.dsn.notify,
          semi == std::string::npos ? ""
                                    : " ORCPT=" + smtp::encode_xtext(r.dsn.orcpt.substr(0, semi)) +
                                          ";" + smtp::encode_xtext(r.dsn.orcpt.substr(semi + 1)));
    if (r.updated == 0) continue;
    std::cout << fmt::format("  last reply: {}\n  host: {}\n  tls: {} ({})\n  at: {}\n", r.reply,
                             r.host.empty() ? "-" : r.host,
                             r.tls_version.empty() ? "none" : r.tls_version, r.tls_policy,
                             utc_time(r.updated));
  }
  return 0;
}

// Runs fn on the entry's tenant queue; "no queue entry" when it is not there.
int on_entry(store::Store& s, const std::string& id,
             const std::function<int(const EntryName&, store::TenantQueue&)>& fn) {
  auto n = parse_name(id);
  if (!n) return fail(n.message());
  auto tenant = s.tenant(n->tenant);
  if (!tenant) return fail(fmt::format("no queue entry {}", id));
  return fn(*n, (*tenant)->queue());
}

int changed(Result<bool> r, const std::string& id, std::string_view done) {
  if (!r) return fail(r.message());
  if (!*r) return fail(fmt::format("no queue entry {}", id));
  std::cout << fmt::format("{} {}\n", id, done);
  return 0;
}

int retry_all(store::Store& s) {
  auto tenants = s.tenants();
  if (!tenants) return fail(tenants.message());
  std::uint64_t total = 0;
  for (const auto& t : *tenants) {
    auto tenant = s.tenant(t.id);
    if (!tenant) return fail(tenant.message());
    auto n = (*tenant)->queue().reschedule_all(std::time(nullptr));
    if (!n) return fail(n.message());
    total += *n;
  }
  std::cout << fmt::format("{} entries due now\n", total);
  return 0;
}

std::int64_t now() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

void add(CLI::App* queue, const std::filesystem::path& home, int& exit_code, const char* name,
         const char* what, std::shared_ptr<Options> o,
         std::function<int(store::Store&, const Options&)> action) {
  auto* cmd = queue->add_subcommand(name, what);
  if (std::string_view(name) != "list") cmd->add_option("id", o->id, "TENANT.ENTRY");
  if (std::string_view(name) == "retry") cmd->add_flag("--all", o->all, "Every entry not held");
  cmd->callback([o, &home, &exit_code, action] {
    exit_code = with_store(home, false, [o, action](store::Store& s) { return action(s, *o); });
  });
}

}  // namespace

void add_queue_commands(CLI::App& app, const std::filesystem::path& home, int& exit_code) {
  auto o = std::make_shared<Options>();
  auto* q = app.add_subcommand("queue", "The outbound queue (deliverd)");
  q->require_subcommand(1);
  add(q, home, exit_code, "list", "Every queued message", o,
      [](store::Store& s, const Options&) { return list(s); });
  add(q, home, exit_code, "show", "One entry: envelope, attempts, each recipient's last reply", o,
      [](store::Store& s, const Options& o) {
        return on_entry(s, o.id, [&](const EntryName& n, store::TenantQueue& queue) {
          auto e = queue.entry(n.entry);
          if (!e) return fail(e.message());
          if (!*e) return fail(fmt::format("no queue entry {}", o.id));
          return show_entry(n, **e);
        });
      });
  add(q, home, exit_code, "retry", "Try an entry (or --all) at deliverd's next poll", o,
      [](store::Store& s, const Options& o) {
        if (o.all) return retry_all(s);
        return on_entry(s, o.id, [&](const EntryName& n, store::TenantQueue& queue) {
          return changed(queue.reschedule(n.entry, now()), o.id, "due now");
        });
      });
  add(q, home, exit_code, "hold", "Keep an entry from being tried", o,
      [](store::Store& s, const Options& o) {
        return on_entry(s, o.id, [&](const EntryName& n, store::TenantQueue& queue) {
          return changed(queue.set_held(n.entry, true), o.id, "held");
        });
      });
  add(q, home, exit_code, "release", "Let a held entry be tried again", o,
      [](store::Store& s, const Options& o) {
        return on_entry(s, o.id, [&](const EntryName& n, store::TenantQueue& queue) {
          return changed(queue.set_held(n.entry, false), o.id, "released");
        });
      });
  add(q, home, exit_code, "delete", "Drop an entry without a bounce", o,
      [](store::Store& s, const Options& o) {
        return on_entry(s, o.id, [&](const EntryName& n, store::TenantQueue& queue) {
          return changed(queue.remove(n.entry), o.id, "deleted");
        });
      });
}

}  // namespace appliance::ctl
