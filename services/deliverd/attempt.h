// NAME
//   attempt.h - one delivery attempt of a queue entry.
//
// DESCRIPTION
//   attempt() takes the entry's pending recipients, grouped by domain; for
//   each domain it finds the destinations (destinations.h) and tries their
//   hosts and addresses in order until one takes a transaction
//   (transaction.h), over a session kept from an earlier entry of the pass
//   when `connections` holds one for that host under the same TLS policy
//   (connections.h). Each recipient comes back with its new state, the
//   reply, the host that gave it, and the TLS policy (tls_policy.h) and
//   the TLS version and cipher in force.
//   Blocking (DNS, network): deliverd runs it on a worker.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "deliverd/connections.h"
#include "deliverd/mta_sts.h"
#include "deliverd/routes.h"
#include "deliverd/smtp_client.h"
#include "deliverd/tls_policy.h"
#include "dns/resolver.h"
#include "store/queue.h"

namespace appliance::deliverd {

struct AttemptSettings {
  std::string hostname;     // EHLO name and Reporting-MTA
  std::uint16_t port = 25;  // of MX hosts (routes name their own)
  Routes routes;
  ClientOptions client;
  bool dane = true;                  // trust the resolver's AD bit for DANE
  std::shared_ptr<StsPolicies> sts;  // MTA-STS; null: none applied
  unsigned messages_per_connection = 100;  // then a new connection; 1: none reused
};

using BodySource =
    std::function<Result<void>(const std::function<Result<void>(std::string_view)>&)>;

std::vector<store::QueuedRecipient> attempt(dns::Resolver& resolver, const AttemptSettings& s,
                                            const store::QueueEntry& entry, const BodySource& body,
                                            Connections* connections = nullptr);

// The domain of an address, lower-cased ("" without '@').
std::string domain_of(const std::string& address);

}  // namespace appliance::deliverd
