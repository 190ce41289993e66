// NAME
//   bounce.cpp - the DSN built from the entry and appended to the INBOX.
#include "deliverd/bounce.h"

#include "deliverd/dsn.h"
#include "store/inbox.h"

namespace appliance::deliverd {
namespace {

constexpr std::size_t kHeaderLimit = 64 * 1024;

Result<std::string> original_headers(store::TenantStore& tenant, const store::QueueEntry& e) {
  std::string head;
  auto r = tenant.queue().read(e, [&](std::string_view piece) -> Result<void> {
    if (head.size() < kHeaderLimit + 4 && head.find("\r\n\r\n") == std::string::npos)
      head.append(piece.substr(0, kHeaderLimit + 4 - head.size()));
    return {};
  });
  if (!r) return r.error();
  return header_section(head, kHeaderLimit);
}

// "550 5.1.1 No such user" -> {"5.1.1", the text}; the remote host without its address.
// A reply without a status (a refused connection) gets `fallback`.
FailedRecipient reported(const store::QueuedRecipient& r, const std::string& fallback) {
  FailedRecipient f{r.address, fallback, r.reply, r.host.substr(0, r.host.find(' '))};
  if (!r.tls_policy.empty())
    f.tls = r.tls_policy + ", " + (r.tls_version.empty() ? "no TLS" : r.tls_version);
  if (r.reply.size() > 4 && r.reply[4] >= '2' && r.reply[4] <= '5') {
    auto space = r.reply.find(' ', 4);
    f.status = r.reply.substr(4, space == std::string::npos ? std::string::npos : space - 4);
  }
  return f;
}

Result<void> notify(store::TenantStore& tenant, const store::QueueEntry& entry,
                    const std::vector<store::QueuedRecipient>& recipients,
                    const std::string& hostname, std::int64_t now, std::int64_t retry_until) {
  if (entry.sender.empty() || recipients.empty()) return {};
  auto headers = original_headers(tenant, entry);
  if (!headers) return headers.error();
  Bounce b{hostname, entry.sender, std::to_string(entry.id), entry.created, now, {},
           *headers, retry_until};
  for (const auto& r : recipients)
    b.recipients.push_back(reported(r, retry_until ? "4.0.0" : "5.0.0"));
  auto m = store::append_to_inbox(tenant, entry.account, build_dsn(b), now);
  if (!m) return m.error();
  return {};
}

}  // namespace

Result<void> deliver_bounce(store::TenantStore& tenant, const store::QueueEntry& entry,
                            const std::vector<store::QueuedRecipient>& bounced,
                            const std::string& hostname, std::int64_t now) {
  return notify(tenant, entry, bounced, hostname, now, 0);
}

Result<void> deliver_delay_notice(store::TenantStore& tenant, const store::QueueEntry& entry,
                                  const std::vector<store::QueuedRecipient>& pending,
                                  const std::string& hostname, std::int64_t now,
                                  std::int64_t retry_until) {
  return notify(tenant, entry, pending, hostname, now, retry_until);
}

}  // namespace appliance::deliverd
