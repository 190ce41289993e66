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

QueuedRecipient result(const std::string& address, RecipientState state, std::string reply,
                       std::string policy) {
  QueuedRecipient q;
  q.address = address;
  q.state = state;
  q.reply = std::move(reply);
  q.tls_policy = std::move(policy);
  return q;
}

std::vector<QueuedRecipient> all(const std::vector<std::string>& to, RecipientState state,
                                 const std::string& reply,
                                 const std::string& policy = kOpportunistic) {
  std::vector<QueuedRecipient> out;
  for (const auto& a : to) out.push_back(result(a, state, reply, policy));
  return out;
}

// The policy as it turned out: opportunistic without TLS is plain; a
// testing policy's failure is kept with it.
std::string recorded_policy(const HostTls& tls, const TransactionResult& t) {
  if (tls.policy == kOpportunistic && t.tls_version.empty()) return kPlain;
  if (tls.policy == kMtaStsTesting && t.tls_version.empty())
    return fmt::format("{} (failed: no TLS)", tls.policy);
  if (tls.policy == kMtaStsTesting && !t.tls_failure.empty())
    return fmt::format("{} (failed: {})", tls.policy, t.tls_failure);
  return tls.policy;
}

std::vector<QueuedRecipient> from_transaction(const TransactionResult& t, const std::string& host,
                                              const HostTls& tls) {
  std::string policy = recorded_policy(tls, t);
  std::vector<QueuedRecipient> out;
  for (const auto& r : t.recipients) {
    RecipientState state = r.outcome == Outcome::delivered ? RecipientState::delivered
                           : r.outcome == Outcome::bounce  ? RecipientState::bounced
                                                           : RecipientState::pending;
    auto q = result(r.address, state, r.reply, policy);
    q.host = host;
    if (!t.tls_version.empty()) q.tls_version = t.tls_version + " " + t.tls_cipher;
    q.dsn_passed_on = t.dsn;
    out.push_back(std::move(q));
  }
  return out;
}

DsnOptions dsn_options(const store::QueueEntry& e) {
  DsnOptions o{e.ret, e.envid, {}};
  for (const auto& r : e.recipients) o.recipients[r.address] = r.dsn;
  return o;
}

// The key of a kept session: the address, and the TLS policy it was opened
// under, so that a session opened for one domain's weaker policy never
// carries mail another domain's policy protects more (MTA-STS is per domain).
std::string session_key(const Host& host, const std::string& where, const HostTls& tls) {
  return fmt::format("{}:{} {}{}{}", where, host.port, tls.policy, tls.tls_required ? " tls" : "",
                     tls.check_required ? " checked" : "");
}

// One domain's recipients: each host and address in turn until one takes the transaction.
std::vector<QueuedRecipient> to_domain(dns::Resolver& resolver, const AttemptSettings& s,
                                       const store::QueueEntry& entry, const std::string& domain,
                                       const std::vector<std::string>& to, const BodySource& body,
                                       Connections* kept) {
  auto dest = find_destinations(resolver, s.routes, s.port, domain);
  if (dest.kind == Destinations::Kind::permanent)
    return all(to, RecipientState::bounced, "550 5.1.2 " + dest.why);
  if (dest.kind == Destinations::Kind::temporary)
    return all(to, RecipientState::pending, "451 4.4.3 " + dest.why);
  std::optional<mta_sts::Policy> sts;
  if (!dest.routed && s.sts) sts = s.sts->policy(resolver, domain);
  // The last failure decides the reply: a host the TLS policy refused is a
  // cryptographic failure (RFC 3463 X.7.5), never a reason for plain text.
  std::string last = "no host to try", policy = kOpportunistic, where;
  bool refused = false;
  for (const Host& host : dest.hosts) {
    HostTls tls = host_tls(resolver, dest, host, sts ? &*sts : nullptr, s.dane);
    policy = tls.policy;
    if (!tls.unusable.empty()) {
      last = fmt::format("{}: TLS policy {}: {}", host.name, tls.policy, tls.unusable);
      where = host.name, refused = true;
      continue;
    }
    for (const auto& address : host.addresses) {
      where = fmt::format("{} [{}]", host.name, address);
      std::string key = session_key(host, where, tls);
      // SNI: the TLSA base domain under DANE (RFC 7672 8.1), else the host's name.
      const std::string& sni = tls.check.kind == TlsCheck::Kind::dane ? tls.check.name : host.name;
      Transaction t{s.hostname, sni, entry.sender, to, entry.size, body, tls, dsn_options(entry)};
      std::optional<Session> session = kept ? kept->take(key) : std::nullopt;
      const std::string target = fmt::format("{}:{}", address, host.port);
      std::optional<std::string> dead = kept && !session ? kept->dead(target) : std::nullopt;
      if (dead) {
        last = *dead, refused = false;
        continue;
      }
      if (!session) {
        auto client = SmtpClient::connect(address, host.port, s.client);
        if (!client) {
          last = client.message(), refused = false;
          if (kept) kept->mark_dead(target, last);
          continue;
        }
        auto opened = open_session(std::move(*client), t);
        if (!opened) {
          last = fmt::format("{}: {}", where, opened.message());
          refused = opened.message().starts_with(kRefusedPrefix);
          if (kept && !refused) kept->mark_dead(target, last);  // a policy refusal is per domain
          continue;
        }
        session = std::move(*opened);
      }
      auto r = send_message(*session, t);
      if (kept && r.usable)
        kept->put_back(key, std::move(*session));
      else
        quit(*session);
      return from_transaction(r, where, tls);
    }
  }
  log::info("no host took the message",
            {{"domain", domain}, {"tls_policy", policy}, {"why", last}});
  auto out =
      all(to, RecipientState::pending, (refused ? "451 4.7.5 " : "451 4.4.1 ") + last, policy);
  for (auto& q : out) q.host = where;
  return out;
}

}  // namespace

std::string domain_of(const std::string& address) {
  auto at = address.rfind('@');
  if (at == std::string::npos) return "";
  return ascii::lowered(std::string_view(address).substr(at + 1));
}

std::vector<QueuedRecipient> attempt(dns::Resolver& resolver, const AttemptSettings& s,
                                     const store::QueueEntry& entry, const BodySource& body,
                                     Connections* connections) {
  std::map<std::string, std::vector<std::string>> by_domain;
  for (const auto& r : entry.recipients)
    if (r.state == RecipientState::pending) by_domain[domain_of(r.address)].push_back(r.address);
  std::vector<QueuedRecipient> out;
  for (const auto& [domain, to] : by_domain) {
    auto done = to_domain(resolver, s, entry, domain, to, body, connections);
    out.insert(out.end(), done.begin(), done.end());
  }
  return out;
}

}  // namespace appliance::deliverd
