// NAME
//   notices.cpp - "delivered" reports for MX mail, queued for deliverd.
#include "smtpd/notices.h"

#include <map>
#include <utility>

#include "common/log.h"
#include "proto/dsn/dsn.h"

namespace appliance::smtpd {
namespace {

std::string domain_of(const std::string& address) {
  return address.substr(address.rfind('@') + 1);
}

Result<void> queue_one(const std::vector<const SuccessRequest*>& to, const DeliveredMessage& m,
                       DkimSigner* signer) {
  const SuccessRequest& first = *to.front();
  dsn::Bounce b{
      m.hostname, m.sender, m.queue_id, m.arrival, m.arrival, {}, {}, 0, dsn::Action::delivered,
      m.envid,    {}};
  for (const SuccessRequest* r : to)
    b.recipients.push_back({r->address, "2.0.0", "delivered to the mailbox", "", "", r->orcpt});
  b.original_headers = dsn::header_section(m.header);
  std::string report = dsn::build_dsn(b);
  if (signer) {
    auto s = dkim::sign_message(*signer, domain_of(first.address), report,
                                static_cast<std::uint64_t>(m.arrival));
    if (!s) return s.error();  // never queued unsigned while a key fails
    report = std::move(*s);
  }
  auto blob = first.tenant->new_blob(first.account);
  if (!blob) return blob.error();
  if (auto w = (*blob)->write(report); !w) return w;
  store::NewQueueEntry entry{first.account, "", {m.sender}, m.arrival, false};
  entry.notice = true;
  auto queued = first.tenant->queue().enqueue(std::move(*blob), entry);
  if (!queued) return queued.error();
  log::info("delivered report queued",
            {{"id", m.queue_id}, {"queue_id", queued->id}, {"to", m.sender}});
  return {};
}

}  // namespace

std::size_t queue_delivered_notices(const std::vector<SuccessRequest>& requests,
                                    const DeliveredMessage& message, DkimSigner* signer) {
  if (message.sender.empty()) return 0;  // no reports to a null sender (RFC 3461 6.2)
  std::map<std::pair<store::Id, store::Id>, std::vector<const SuccessRequest*>> by_account;
  for (const auto& r : requests) by_account[{r.tenant->id(), r.account}].push_back(&r);
  std::size_t queued = 0;
  for (const auto& [account, to] : by_account) {
    if (auto q = queue_one(to, message, signer); !q)
      log::warning("delivered report not queued",
                   {{"id", message.queue_id}, {"to", message.sender}, {"error", q.message()}});
    else
      ++queued;
  }
  return queued;
}

}  // namespace appliance::smtpd
