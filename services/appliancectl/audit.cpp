// NAME
//   audit.cpp - the login log (last logins, purge) and the security events
//   (list, verify the hash chain).
//
// DESCRIPTION
//   `logins [--account A] [--limit N]`: newest first. `logins purge [--days N]`
//   deletes entries older than N days (180 by default, the retention of
//   docs/accounts.md). `audit list [--after SEQ] [--limit N]`: oldest first.
//   `audit verify [--head SEQ:HASH]` reads the whole chain and names the
//   first broken entry; with the head noted earlier it also catches entries
//   deleted at the end. Exit status 1 when the chain is broken.
#include "appliancectl/audit.h"

#include <fmt/format.h>

#include <charconv>
#include <iostream>
#include <memory>

#include "appliancectl/store_access.h"
#include "appliancectl/times.h"
#include "auth/account_service.h"
#include "auth/security_log.h"

namespace appliance::ctl {
namespace {

struct Options {
  std::string account, head;
  int limit = 20, days = 180;
  std::uint64_t after = 0;
};

std::string hex(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) out += fmt::format("{:02x}", c);
  return out;
}

int logins(store::Store& s, const Options& o) {
  if (o.limit < 1 || o.limit > 100000) return fail("--limit is 1 to 100000");
  auto rows = s.logs().logins(auth::lower(o.account), static_cast<std::size_t>(o.limit));
  if (!rows) return fail(rows.message());
  std::cout << fmt::format("{:<17} {:<32} {:<5} {:<24} {:<10} {:<24} {}\n", "TIME", "ACCOUNT",
                           "PROTO", "SOURCE", "RESULT", "CLIENT", "REASON");
  for (const store::LoginRecord& r : *rows)
    std::cout << fmt::format("{:<17} {:<32} {:<5} {:<24} {:<10} {:<24} {}\n", utc_time(r.time),
                             r.account, r.protocol, r.source, r.result,
                             r.client.empty() ? "-" : r.client, r.reason.empty() ? "-" : r.reason);
  return 0;
}

int purge(store::Store& s, const Options& o) {
  if (o.days < 1) return fail("--days must be at least 1");
  auto gone = s.logs().purge_logins(auth::days_ago(auth::SystemClock(), o.days));
  if (!gone) return fail(gone.message());
  std::cout << fmt::format("{} login log entries older than {} days removed\n", *gone, o.days);
  return 0;
}

int audit_list(store::Store& s, const Options& o) {
  if (o.limit < 1 || o.limit > 100000) return fail("--limit is 1 to 100000");
  auth::SystemClock clock;
  auto events = auth::SecurityLog(s.logs(), clock).list(o.after, static_cast<std::size_t>(o.limit));
  if (!events) return fail(events.message());
  std::cout << fmt::format("{:<6} {:<17} {:<20} {:<22} {:<32} {}\n", "SEQ", "TIME", "ACTOR",
                           "ACTION", "TARGET", "DETAILS");
  for (const auth::ChainedEvent& c : *events) {
    const auth::SecurityEvent& e = c.event;
    std::cout << fmt::format("{:<6} {:<17} {:<20} {:<22} {:<32} {}\n", e.seq, utc_time(e.time),
                             e.actor, e.action, e.target, e.details);
  }
  return 0;
}

Result<std::optional<auth::ChainHead>> head_of(const std::string& text) {
  if (text.empty()) return std::optional<auth::ChainHead>();
  auto colon = text.find(':');
  auth::ChainHead head;
  std::string hash_hex = colon == std::string::npos ? "" : text.substr(colon + 1);
  bool ok = colon != std::string::npos && hash_hex.size() == 64 &&
            hash_hex.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (ok) {
    auto seq = std::string_view(text).substr(0, colon);
    auto [end, error] = std::from_chars(seq.data(), seq.data() + seq.size(), head.seq);
    ok = error == std::errc() && end == seq.data() + seq.size();
  }
  if (!ok)
    return make_error(fmt::format("\"{}\" is not a chain head (SEQ:HASH, 64 hex digits)", text));
  for (std::size_t i = 0; i < 64; i += 2)
    head.hash += static_cast<char>(std::stoi(hash_hex.substr(i, 2), nullptr, 16));
  return std::optional<auth::ChainHead>(head);
}

int audit_verify(store::Store& s, const Options& o) {
  auto head = head_of(o.head);
  if (!head) return fail(head.message());
  auth::SystemClock clock;
  auth::SecurityLog log(s.logs(), clock);
  auto fault = log.verify(*head);
  if (!fault) return fail(fault.message());
  if (*fault)
    return fail(fmt::format("the security event chain is broken at seq {}: {}", (*fault)->seq,
                            (*fault)->reason));
  std::uint64_t last = 0;
  std::string last_hash;
  for (;;) {
    auto page = log.list(last, 1000);
    if (!page) return fail(page.message());
    if (page->empty()) break;
    last = page->back().event.seq;
    last_hash = page->back().hash;
  }
  if (last == 0) return std::cout << "the security event chain is empty\n", 0;
  std::cout << fmt::format("the security event chain holds: {} events, head {}:{}\n", last, last,
                           hex(last_hash));
  return 0;
}

}  // namespace

void add_audit_commands(CLI::App& app, const std::filesystem::path& home, int& exit_code) {
  auto o = std::make_shared<Options>();
  auto run = [&home, &exit_code](auto action) {
    return [&home, &exit_code, action] { exit_code = with_store(home, false, action); };
  };
  auto* log = app.add_subcommand("logins", "The login log: last logins, newest first");
  log->require_subcommand(0, 1);
  log->add_option("--account", o->account, "Only this account (or name tried)");
  log->add_option("--limit", o->limit, "How many")->capture_default_str();
  auto* purge_cmd = log->add_subcommand("purge", "Remove entries older than --days");
  purge_cmd->add_option("--days", o->days, "Keep this many days")->capture_default_str();
  purge_cmd->callback(run([o](store::Store& s) { return purge(s, *o); }));
  log->callback([o, purge_cmd, run] {
    if (!purge_cmd->parsed()) run([o](store::Store& s) { return logins(s, *o); })();
  });

  auto* audit = app.add_subcommand("audit", "The hash-chained security events");
  audit->require_subcommand(1);
  auto* list = audit->add_subcommand("list", "List events, oldest first");
  list->add_option("--after", o->after, "Only events after this seq");
  list->add_option("--limit", o->limit, "How many")->capture_default_str();
  list->callback(run([o](store::Store& s) { return audit_list(s, *o); }));
  auto* verify = audit->add_subcommand("verify", "Check the chain; name the first broken entry");
  verify->add_option("--head", o->head,
                     "The head noted earlier (SEQ:HASH), to catch deletions at the end");
  verify->callback(run([o](store::Store& s) { return audit_verify(s, *o); }));
}

}  // namespace appliance::ctl
