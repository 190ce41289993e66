// NAME
//   bounce.cpp - the DSN built from the entry and appended to the INBOX.
#include "deliverd/bounce.h"

#include "common/log.h"
#include "deliverd/attempt.h"
#include "store/inbox.h"

namespace appliance::deliverd {
namespace {

constexpr std::size_t kHeaderLimit = 64 * 1024;

// The message as queued, up to `limit` bytes; `whole` tells whether it all fit.
Result<std::string> original(store::TenantStore& tenant, const store::QueueEntry& e,
                             std::size_t limit, bool& whole) {
  std::string out;
  whole = true;
  auto r = tenant.queue().read(e, [&](std::string_view piece) -> Result<void> {
    if (out.size() + piece.size() > limit) whole = false;
    if (out.size() < limit) out.append(piece.substr(0, limit - out.size()));
    return {};
  });
  if (!r) return r.error();
  return out;
}

// "550 5.1.1 No such user" -> {"5.1.1", the text}; the remote host without its address.
// A reply without a status (a refused connection) gets `fallback`.
dsn::FailedRecipient reported(const store::QueuedRecipient& r, const std::string& fallback) {
  dsn::FailedRecipient f{r.address, fallback, r.reply, r.host.substr(0, r.host.find(' '))};
  if (!r.tls_policy.empty())
    f.tls = r.tls_policy + ", " + (r.tls_version.empty() ? "no TLS" : r.tls_version);
  f.orcpt = r.dsn.orcpt;
  if (r.reply.size() > 4 && r.reply[4] >= '2' && r.reply[4] <= '5') {
    auto space = r.reply.find(' ', 4);
    f.status = r.reply.substr(4, space == std::string::npos ? std::string::npos : space - 4);
  }
  return f;
}

const char* fallback_status(dsn::Action action) {
  return action == dsn::Action::failed    ? "5.0.0"
         : action == dsn::Action::delayed ? "4.0.0"
                                          : "2.0.0";
}

}  // namespace

Result<void> deliver_notice(store::TenantStore& tenant, const store::QueueEntry& entry,
                            dsn::Action action,
                            const std::vector<store::QueuedRecipient>& recipients,
                            const std::string& hostname, std::int64_t now, std::int64_t retry_until,
                            dkim::KeydSigner* signer) {
  if (entry.sender.empty()) return {};
  dsn::Bounce b{hostname,
                entry.sender,
                std::to_string(entry.id),
                entry.created,
                now,
                {},
                {},
                action == dsn::Action::delayed ? retry_until : 0,
                action,
                entry.envid,
                {}};
  for (const auto& r : recipients)
    if (dsn::notify_wants(r.dsn.notify, action))
      b.recipients.push_back(reported(r, fallback_status(action)));
  if (b.recipients.empty()) return {};
  // RET=FULL returns the message with a failure only (RFC 3461 4.3): other notices carry headers.
  bool full = action == dsn::Action::failed && entry.ret == "FULL";
  bool whole = false;
  auto message = original(tenant, entry, full ? kFullReturnLimit : kHeaderLimit + 4, whole);
  if (!message) return message.error();
  if (full && whole)
    b.original_message = std::move(*message);
  else
    b.original_headers = dsn::header_section(*message, kHeaderLimit);
  std::string report = dsn::build_dsn(b);
  if (signer) {
    // The notice stays here, in the sender's INBOX: better unsigned than
    // lost, or the attempt repeated, while keyd restarts.
    auto signed_dsn = dkim::sign_message(*signer, domain_of(entry.sender), report,
                                         static_cast<std::uint64_t>(now));
    if (signed_dsn)
      report = std::move(*signed_dsn);
    else
      log::warning("notice not signed", {{"queue_id", entry.id}, {"error", signed_dsn.message()}});
  }
  auto m = store::append_to_inbox(tenant, entry.account, report, now);
  if (!m) return m.error();
  return {};
}

}  // namespace appliance::deliverd
