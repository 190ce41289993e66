// NAME
//   attempt.cpp - recipients by domain, destinations tried in order.
#include "deliverd/attempt.h"

#include <fmt/format.h>

#include <map>

#include "common/log.h"
#include "deliverd/destinations.h"
#include "deliverd/transaction.h"
#include "proto/common/ascii.h"

namespace appliance::deliverd {
namespace {

using store::QueuedRecipient;
using store::RecipientState;

QueuedRecipient result(const std::string& address, RecipientState state, std::string reply) {
  QueuedRecipient q;
  q.address = address;
  q.state = state;
  q.reply = std::move(reply);
  q.tls_policy = kOpportunistic;
  return q;
}

std::vector<QueuedRecipient> all(const std::vector<std::string>& to, RecipientState state,
                                 const std::string& reply) {
  std::vector<QueuedRecipient> out;
  for (const auto& a : to) out.push_back(result(a, state, reply));
  return out;
}

std::vector<QueuedRecipient> from_transaction(const TransactionResult& t, const std::string& host) {
  std::vector<QueuedRecipient> out;
  for (const auto& r : t.recipients) {
    RecipientState state = r.outcome == Outcome::delivered ? RecipientState::delivered
                           : r.outcome == Outcome::bounce  ? RecipientState::bounced
                                                           : RecipientState::pending;
    auto q = result(r.address, state, r.reply);
    q.host = host;
    q.tls_version = t.tls_version;
    out.push_back(std::move(q));
  }
  return out;
}

// One domain's recipients: each host and address in turn until one takes the transaction.
std::vector<QueuedRecipient> to_domain(dns::Resolver& resolver, const AttemptSettings& s,
                                       const store::QueueEntry& entry, const std::string& domain,
                                       const std::vector<std::string>& to, const BodySource& body) {
  auto dest = find_destinations(resolver, s.routes, s.port, domain);
  if (dest.kind == Destinations::Kind::permanent)
    return all(to, RecipientState::bounced, "550 5.1.2 " + dest.why);
  if (dest.kind == Destinations::Kind::temporary)
    return all(to, RecipientState::pending, "451 4.4.3 " + dest.why);
  std::string last = "no host to try";
  for (const Host& host : dest.hosts)
    for (const auto& address : host.addresses) {
      std::string where = fmt::format("{} [{}]", host.name, address);
      auto client = SmtpClient::connect(address, host.port, s.client);
      if (!client) {
        last = client.message();
        continue;
      }
      Transaction t{s.hostname, host.name, entry.sender, to, body};
      auto r = run_transaction(**client, t);
      if (r.host_failed) {
        last = fmt::format("{}: {}", where, r.host_reply);
        continue;
      }
      return from_transaction(r, where);
    }
  log::info("no host took the message", {{"domain", domain}, {"why", last}});
  return all(to, RecipientState::pending, "451 4.4.1 " + last);
}

}  // namespace

std::string domain_of(const std::string& address) {
  auto at = address.rfind('@');
  if (at == std::string::npos) return "";
  return ascii::lowered(std::string_view(address).substr(at + 1));
}

std::vector<QueuedRecipient> attempt(dns::Resolver& resolver, const AttemptSettings& s,
                                     const store::QueueEntry& entry, const BodySource& body) {
  std::map<std::string, std::vector<std::string>> by_domain;
  for (const auto& r : entry.recipients)
    if (r.state == RecipientState::pending) by_domain[domain_of(r.address)].push_back(r.address);
  std::vector<QueuedRecipient> out;
  for (const auto& [domain, to] : by_domain) {
    auto done = to_domain(resolver, s, entry, domain, to, body);
    out.insert(out.end(), done.begin(), done.end());
  }
  return out;
}

}  // namespace appliance::deliverd
