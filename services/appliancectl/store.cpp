// NAME
//   store.cpp - integrity check, statistics and garbage collection of the
//   store, tenant by tenant.
//
// DESCRIPTION
//   A damaged tenant is reported with its file and fault and the others are
//   still checked. Data keys are unwrapped through keyd to prove they still
//   open, so check and stats need keyd ready; without it they say so rather
//   than report every key as broken. With --verdict, check also leaves its
//   outcome for updated's health gate (common/store_verdict.h).
#include "appliancectl/store.h"

#include <fmt/format.h>

#include <ctime>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>

#include "appliancectl/store_access.h"
#include "common/files.h"
#include "common/paths.h"
#include "common/store_verdict.h"
#include "store/store.h"

namespace appliance::ctl {
namespace {

namespace fs = std::filesystem;

struct StoreOptions {
  bool open_every_blob = false;
  std::string tenant;  // name or id; empty: all
  bool verdict = false;
};

Result<std::vector<store::Tenant>> chosen(store::Store& s, const std::string& which) {
  auto all = s.tenants();
  if (!all || which.empty()) return all;
  for (const store::Tenant& t : *all)
    if (t.name == which || std::to_string(t.id) == which) return std::vector<store::Tenant>{t};
  return make_error(fmt::format("no tenant \"{}\"", which));
}

std::string label(const store::Tenant& t) {
  return fmt::format("tenant {} ({})", t.id, t.name);
}

// Returns the tenant's first fault, or nothing when it is intact.
std::optional<std::string> check_tenant(store::Store& s, const store::Tenant& t,
                                        bool open_every_blob) {
  auto tenant = s.tenant(t.id);
  auto report =
      tenant ? (*tenant)->check(open_every_blob) : Result<store::CheckReport>(tenant.error());
  if (!report) {
    std::string fault = fmt::format("{}: DAMAGED: {}", label(t), report.message());
    std::cout << fault << "\n";
    return fault;
  }
  for (const std::string& e : report->errors) std::cout << fmt::format("{}: {}\n", label(t), e);
  std::cout << fmt::format("{}: {}: {} accounts, {} messages, {} blobs, {} orphaned blobs{}\n",
                           label(t), report->ok() ? "ok" : "FAULTY", report->accounts,
                           report->messages, report->blobs, report->orphaned_blobs,
                           report->orphaned_blobs ? " (appliancectl store gc removes them)" : "");
  if (report->ok()) return std::nullopt;
  return fmt::format("{}: FAULTY: {}", label(t),
                     report->errors.empty() ? "see appliancectl store check" : report->errors[0]);
}

std::uint64_t disk_use(const fs::path& dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec))
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  return total;
}

Result<void> print_stats(store::Store& s, const store::Tenant& t, const fs::path& root) {
  auto tenant = s.tenant(t.id);
  if (!tenant) return tenant.error();
  auto accounts = (*tenant)->accounts();
  if (!accounts) return accounts.error();
  std::uint64_t mailboxes = 0, messages = 0, bytes = 0;
  for (const store::Account& a : *accounts) {
    auto boxes = (*tenant)->mailboxes(a.id);
    if (!boxes) return boxes.error();
    mailboxes += boxes->size();
    for (const store::Mailbox& m : *boxes) {
      auto list = (*tenant)->messages(a.id, m.id);
      if (!list) return list.error();
      messages += list->size();
      for (const store::Message& msg : *list) bytes += msg.size;
    }
  }
  std::cout << fmt::format("{:<6} {:<24} {:>9} {:>10} {:>10} {:>14} {:>14}\n", t.id, t.name,
                           accounts->size(), mailboxes, messages, bytes,
                           disk_use(root / "tenants" / std::to_string(t.id)));
  return {};
}

using Action = std::function<int(store::Store&, const std::vector<store::Tenant>&)>;

// Picks the tenants, then runs the action on them.
int on_tenants(const fs::path& home, const StoreOptions& o, const Action& action) {
  return with_store(home, false, [&](store::Store& s) {
    auto tenants = chosen(s, o.tenant);
    if (!tenants) return fail(tenants.message());
    return action(s, *tenants);
  });
}

// `summary` gets the line a verdict keeps: the count, and the first fault.
int run_check(store::Store& s, const std::vector<store::Tenant>& tenants, bool open_every_blob,
              std::string& summary) {
  int bad = 0;
  std::string first;
  for (const store::Tenant& t : tenants) {
    auto fault = check_tenant(s, t, open_every_blob);
    if (!fault) continue;
    ++bad;
    if (first.empty()) first = *fault;
  }
  summary = fmt::format("{} tenants checked, {} with faults", tenants.size(), bad);
  std::cout << summary << "\n";
  if (!first.empty()) summary += "; " + first;
  return bad ? 1 : 0;
}

// The check's outcome for updated's health gate (common/store_verdict.h).
int write_verdict(const Paths& paths, int exit_code, const std::string& summary) {
  auto boot_id = read_boot_id();
  if (!boot_id) return fail(boot_id.message());
  // Without a summary the store was not checked: not made yet, or not opened.
  const std::string reason = !summary.empty() ? summary
                             : exit_code == 0 ? "no store yet"
                                              : last_failure();
  StoreVerdict verdict = make_store_verdict(*boot_id, std::time(nullptr), exit_code == 0, reason);
  std::error_code ec;
  fs::create_directories(paths.store_verdict().parent_path(), ec);
  // World-readable: it holds nothing secret, and updated is not root.
  if (auto w = write_file_atomically(paths.store_verdict(), format_store_verdict(verdict), 0644);
      !w)
    return fail("cannot write the verdict: " + w.message());
  return exit_code;
}

int run_stats(store::Store& s, const std::vector<store::Tenant>& tenants, const fs::path& root) {
  std::cout << fmt::format("{:<6} {:<24} {:>9} {:>10} {:>10} {:>14} {:>14}\n", "ID", "TENANT",
                           "ACCOUNTS", "MAILBOXES", "MESSAGES", "MESSAGE BYTES", "DISK BYTES");
  int exit_code = 0;
  for (const store::Tenant& t : tenants)
    if (auto r = print_stats(s, t, root); !r) {
      std::cout << fmt::format("{:<6} {:<24} unavailable: {}\n", t.id, t.name, r.message());
      exit_code = 1;
    }
  std::cout << fmt::format("store: {} tenants, {} bytes on disk in {}\n", tenants.size(),
                           disk_use(root), root.string());
  return exit_code;
}

int run_gc(store::Store& s, const std::vector<store::Tenant>& tenants) {
  int exit_code = 0;
  for (const store::Tenant& t : tenants) {
    auto tenant = s.tenant(t.id);
    auto removed = tenant ? (*tenant)->collect_garbage(store::TenantStore::kGarbageMinAge)
                          : Result<std::uint64_t>(tenant.error());
    if (removed)
      std::cout << fmt::format("{}: {} orphaned blobs removed\n", label(t), *removed);
    else
      exit_code = fail(fmt::format("{}: {}", label(t), removed.message()));
  }
  return exit_code;
}

}  // namespace

void add_store_commands(CLI::App& app, const std::filesystem::path& home, int& exit_code) {
  auto o = std::make_shared<StoreOptions>();
  auto paths = [&home] { return Paths{fs::absolute(home)}; };
  auto* store = app.add_subcommand("store", "The mail store: integrity, statistics, clean-up");
  store->require_subcommand(1);

  auto* check = store->add_subcommand(
      "check", "Check databases, blobs and data keys; exit 1 if any tenant has a fault");
  check->add_flag("--blobs", o->open_every_blob, "Also open every blob and verify its content");
  auto* one_tenant = check->add_option("--tenant", o->tenant, "Only this tenant (name or id)");
  // A verdict speaks for the whole store.
  check
      ->add_flag("--verdict", o->verdict,
                 "Also write the outcome, for the update daemon's health gate, to "
                 "run/store-check.json")
      ->excludes(one_tenant);
  check->callback([=, &home, &exit_code] {
    std::string summary;
    exit_code = on_tenants(home, *o, [&](auto& s, const auto& tenants) {
      return run_check(s, tenants, o->open_every_blob, summary);
    });
    if (o->verdict) exit_code = write_verdict(paths(), exit_code, summary);
  });

  auto* stats =
      store->add_subcommand("stats", "Accounts, mailboxes, messages and bytes per tenant");
  stats->add_option("--tenant", o->tenant, "Only this tenant (name or id)");
  stats->callback([=, &home, &exit_code] {
    exit_code = on_tenants(home, *o, [&](auto& s, const auto& tenants) {
      return run_stats(s, tenants, paths().store_dir());
    });
  });

  auto* gc = store->add_subcommand("gc", "Remove blobs that no message refers to");
  gc->add_option("--tenant", o->tenant, "Only this tenant (name or id)");
  gc->callback([=, &home, &exit_code] { exit_code = on_tenants(home, *o, run_gc); });
}

}  // namespace appliance::ctl
