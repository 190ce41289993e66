// NAME
//   tls_policy.cpp - DANE, then MTA-STS, then opportunistic, per MX host.
#include "deliverd/tls_policy.h"

#include <fmt/format.h>

namespace appliance::deliverd {
namespace {

constexpr std::uint8_t kDaneTa = 2, kDaneEe = 3;

HostTls dane(std::vector<dns::Tlsa> usable, const Host& host) {
  HostTls t;
  t.policy = kDane;
  t.tls_required = true;
  if (usable.empty()) return t;  // all unusable: encrypted, unauthenticated (RFC 7672 2.2)
  t.check_required = true;
  t.check = {TlsCheck::Kind::dane, std::move(usable), host.name};
  return t;
}

HostTls mta_sts_host(const mta_sts::Policy& sts, const Host& host) {
  HostTls t;
  t.check = {TlsCheck::Kind::webpki, {}, host.name};
  if (sts.mode == mta_sts::Mode::testing) {
    t.policy = kMtaStsTesting;
    return t;
  }
  t.policy = kMtaSts;
  t.tls_required = true;
  t.check_required = true;
  if (!mta_sts::mx_matches(sts, host.name))
    t.unusable = fmt::format("{} matches no mx of the domain's MTA-STS policy", host.name);
  return t;
}

}  // namespace

std::vector<dns::Tlsa> usable_tlsa(const std::vector<dns::Tlsa>& records) {
  std::vector<dns::Tlsa> out;
  for (const auto& r : records)
    if ((r.usage == kDaneTa || r.usage == kDaneEe) && r.selector <= 1 && r.matching <= 2)
      out.push_back(r);
  return out;
}

bool dane_applies(const Destinations& d, const Host& host) {
  return !d.routed && d.mx_authenticated && host.authenticated;
}

HostTls decide(const Host& host, const dns::Lookup<dns::Tlsa>* tlsa, const mta_sts::Policy* sts) {
  if (tlsa && tlsa->temporary()) {
    HostTls t;
    t.policy = kDane;
    t.unusable = "TLSA lookup failed: " + tlsa->message;
    return t;
  }
  if (tlsa && tlsa->ok() && tlsa->authenticated) return dane(usable_tlsa(tlsa->records), host);
  if (sts && sts->mode != mta_sts::Mode::none) return mta_sts_host(*sts, host);
  return {};
}

HostTls host_tls(dns::Resolver& resolver, const Destinations& d, const Host& host,
                 const mta_sts::Policy* sts, bool dane) {
  if (!dane || !dane_applies(d, host)) return decide(host, nullptr, sts);
  // A host that is an alias: the TLSA records of the name it expands to
  // first, then its own (RFC 7672 2.2.3). The expansion is secure, as the
  // address answer that followed it was authenticated.
  std::string base = host.name;
  dns::Lookup<dns::Tlsa> tlsa;
  if (!host.canonical.empty()) {
    tlsa = resolver.tlsa("_25._tcp." + host.canonical);
    if (tlsa.temporary() || (tlsa.ok() && tlsa.authenticated)) base = host.canonical;
  }
  if (base == host.name) tlsa = resolver.tlsa("_25._tcp." + host.name);
  HostTls t = decide(host, &tlsa, sts);
  if (t.check.kind != TlsCheck::Kind::dane) return t;
  t.check.name = base;  // the TLSA base domain
  if (!host.canonical.empty())
    t.check.other_names.push_back(base == host.name ? host.canonical : host.name);
  t.check.other_names.push_back(d.domain);
  return t;
}

}  // namespace appliance::deliverd
