// NAME
//   quota.cpp - GETQUOTA, GETQUOTAROOT, SETQUOTA (RFC 9208), and the quota
//   check of APPEND, COPY and MOVE.
//
// DESCRIPTION
//   Each account has one quota root, "" (every mailbox of the account is
//   under it), with one resource, STORAGE: the account's quota in bytes
//   (appliancectl accounts quota; 0 is no limit, and then there is no root).
//   Usage is the sum of the sizes of the account's messages, every copy
//   counted, in units of 1024 octets rounded up; the limit is rounded down.
//   SETQUOTA is the administrator's: NO [NOPERM]. A command that would take
//   the account over its quota stores nothing and gets NO [OVERQUOTA]: it is
//   refused early from the usage read here, before any blob is written, and
//   the store checks again in the transaction that stores (append_all,
//   copy_messages), so two sessions cannot both pass and together go over.
#include "imapd/commands.h"
#include "proto/imap/response.h"

namespace appliance::imapd {

namespace {

constexpr std::string_view kRoot = "";

std::string storage(const store::Usage& u) {
  return imap::quota_response(kRoot, {{"STORAGE", (u.bytes + 1023) / 1024, u.quota / 1024}});
}

}  // namespace

imap::Answer quota(Context& c, const imap::Quota& cmd) {
  using Kind = imap::Quota::Kind;
  if (cmd.kind == Kind::set)
    return imap::Answer::no("Quotas are set by the administrator", "NOPERM");
  auto u = c.tenant->usage(c.account);
  if (!u) return store_failed(u.error());
  if (cmd.kind == Kind::get) {
    if (cmd.name != kRoot || !u->quota)
      return imap::Answer::no("No such quota root", "NONEXISTENT");
    return imap::Answer::ok(storage(*u));
  }
  auto box = find_mailbox(c, cmd.name);
  if (!box) return store_failed(box.error());
  if (!*box) return imap::Answer::no("No such mailbox", "NONEXISTENT");
  std::vector<std::string> roots;
  if (u->quota) roots.emplace_back(kRoot);
  std::string out = imap::quotaroot_response((*box)->name, c.utf8, roots);
  if (u->quota) out += storage(*u);
  return imap::Answer::ok(std::move(out));
}

imap::Answer refused_over_quota() {
  return imap::Answer::no("Over quota: nothing was stored", "OVERQUOTA");
}

std::optional<imap::Answer> over_quota(Context& c, std::uint64_t adding) {
  auto u = c.tenant->usage(c.account);
  if (!u) return store_failed(u.error());
  if (u->room_for(adding)) return std::nullopt;
  return refused_over_quota();
}

}  // namespace appliance::imapd
