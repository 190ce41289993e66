// NAME
//   mta_sts.h - MTA-STS policies (RFC 8461): discovery, fetch, cache.
//
// DESCRIPTION
//   StsPolicies::policy() gives the policy in force for a domain. It asks
//   the TXT record at _mta-sts.<domain> (proto/mta_sts/policy.h); a cached
//   policy whose id is still the record's, and whose max_age has not run
//   out, is used as it is; otherwise the policy is fetched and cached by
//   domain. When the record is gone, malformed or its lookup fails, or the
//   fetch fails, a cached policy still in its max_age is used (RFC 8461
//   5.1): a policy cannot be removed by an attacker who blocks DNS or HTTPS.
//   The cache is kept in a file of deliverd's own (Paths::mta_sts_cache(),
//   JSON, rewritten atomically when a policy is fetched) and read at start,
//   so a restart forgets nothing; each policy's text is stored and read
//   again with the strict parser, and what does not parse or has expired is
//   dropped.
//
//   refresh() fetches again every cached policy that was used since it was
//   fetched, a day ago or more (half its max_age, when that is shorter), and
//   whose domain still publishes a record: RFC 8461 3.3 asks senders to
//   refresh cached policies before they expire, once a day, so that a policy
//   in use does not lapse and get fetched anew only when its domain is next
//   mailed, perhaps while an attacker blocks the fetch. QueueRunner calls it
//   at the end of every pass; it looks at most once an hour and starts no fetch
//   after `budget` (a fetch that hangs holds up the deliveries), leaving
//   the rest, oldest first, to the next look.
//
//   fetch_policy() is the HTTPS GET of
//   https://mta-sts.<domain>/.well-known/mta-sts.txt: the host's addresses
//   from the resolver, TLS 1.2 or newer with a certificate valid for
//   mta-sts.<domain> under the WebPKI roots (ClientOptions::ca_file), one
//   HTTP/1.0 request (no chunked coding), no redirects, at most 64 KiB of
//   policy, each read within the I/O timeout and the whole within `timeout`.
//   Thread-safe: deliverd's one pass at a time shares one StsPolicies.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "common/result.h"
#include "deliverd/smtp_client.h"
#include "dns/resolver.h"
#include "proto/mta_sts/policy.h"

namespace appliance::deliverd {

struct FetchOptions {
  std::uint16_t port = 443;  // only tests set another
  ClientOptions client;      // connect timeout, per-read timeout, CA bundle
  std::chrono::seconds timeout{60};
};

// The body of the policy resource, or why there is none.
Result<std::string> fetch_policy(dns::Resolver& resolver, const std::string& domain,
                                 const FetchOptions& o);

class StsPolicies {
 public:
  using Fetch = std::function<Result<std::string>(dns::Resolver&, const std::string& domain)>;
  using Clock = std::function<std::int64_t()>;
  // `file`: where the cache is kept; empty: in memory only.
  StsPolicies(Fetch fetch, Clock clock, std::filesystem::path file = {});

  // The domain's policy (mode none included), or nullopt without one.
  std::optional<mta_sts::Policy> policy(dns::Resolver& resolver, const std::string& domain);
  // Returns how many policies were fetched again.
  std::size_t refresh(dns::Resolver& resolver, std::int64_t budget = 60);

  static constexpr std::int64_t kRefreshEvery = 3600, kRefreshAfter = 86400;

 private:
  struct Cached {
    std::string id;
    mta_sts::Policy policy;
    std::int64_t expires = 0;
    std::string text;   // as fetched, for the file
    bool used = false;  // by a delivery since it was fetched; not kept in the file
  };
  std::optional<Cached> cached(const std::string& domain);  // marks it used (refresh())
  std::optional<mta_sts::Policy> fetch(dns::Resolver& resolver, const std::string& domain,
                                       const std::string& id, bool used);
  void load();
  void save();  // with mutex_ held

  Fetch fetch_;
  Clock clock_;
  std::filesystem::path file_;
  std::mutex mutex_;
  std::map<std::string, Cached> cache_;
  std::int64_t next_refresh_ = 0;
};

}  // namespace appliance::deliverd
