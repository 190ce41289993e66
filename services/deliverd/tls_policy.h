// NAME
//   tls_policy.h - which TLS an MX host gets: DANE (RFC 7672), MTA-STS
//   (RFC 8461), opportunistic (RFC 7435).
//
// DESCRIPTION
//   For each host of a domain, in this order:
//   - DANE when the MX answer and the host's address answers were
//     DNSSEC-authenticated (the AD bit) and the domain was not routed: the
//     TLSA records at _25._tcp.<host> (for a host that is an alias, at the
//     name it expands to first, RFC 7672 2.2.3). An authenticated answer with usable
//     records (DANE-TA(2), DANE-EE(3); selector 0/1; matching 0/1/2;
//     PKIX-TA/EE are unusable, RFC 7672 3.1.3) makes STARTTLS mandatory and
//     the certificate must match them; an authenticated answer whose records
//     are all unusable still makes STARTTLS mandatory, unauthenticated
//     (RFC 7672 2.2). A TLSA lookup that fails (SERVFAIL) makes the host
//     unusable for this attempt: never a fallback to less.
//   - MTA-STS when the domain has a policy (mta_sts.h) and the host had no
//     DANE: mode enforce skips hosts that match no mx pattern and requires
//     STARTTLS with a certificate valid for the host name under the WebPKI
//     roots; mode testing checks the same but delivers anyway, recording
//     the failure; mode none is no policy.
//   - opportunistic otherwise: STARTTLS when offered, unchecked.
//   decide() is pure; host_tls() looks up TLSA first when DANE can apply.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "deliverd/destinations.h"
#include "deliverd/smtp_client.h"
#include "dns/resolver.h"
#include "proto/mta_sts/policy.h"

namespace appliance::deliverd {

// The policy names recorded on each recipient ("plain": opportunistic
// without TLS, the server offered none).
inline constexpr const char* kDane = "dane";
inline constexpr const char* kMtaSts = "mta-sts";
inline constexpr const char* kMtaStsTesting = "mta-sts testing";
inline constexpr const char* kOpportunistic = "opportunistic";
inline constexpr const char* kPlain = "plain";

struct HostTls {
  std::string policy = kOpportunistic;
  bool tls_required = false;    // STARTTLS must be offered and succeed
  bool check_required = false;  // a certificate failing `check` ends the connection
  TlsCheck check;
  std::string unusable;  // non-empty: the host is not tried in this attempt, and why
};

// The records OpenSSL's DANE may use for SMTP (RFC 7672 3.1).
std::vector<dns::Tlsa> usable_tlsa(const std::vector<dns::Tlsa>& records);

// `tlsa`: the TLSA answer when DANE applied to the host, else null.
// `sts`: the domain's MTA-STS policy, else null.
HostTls decide(const Host& host, const dns::Lookup<dns::Tlsa>* tlsa, const mta_sts::Policy* sts);

// Whether DANE applies to the host: authenticated MX and addresses, no route.
bool dane_applies(const Destinations& d, const Host& host);

// `dane`: false when DANE is turned off ([deliverd] dane).
HostTls host_tls(dns::Resolver& resolver, const Destinations& d, const Host& host,
                 const mta_sts::Policy* sts, bool dane = true);

}  // namespace appliance::deliverd
