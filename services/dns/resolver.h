// NAME
//   resolver.h - DNS lookups for mail: MX, A/AAAA, TXT and TLSA.
//
// DESCRIPTION
//   Resolver is the interface deliverd (MX, addresses, TLSA) and the
//   SPF/DKIM/DMARC checks (TXT) use; CaresResolver (cares_resolver.h) asks
//   real servers, and tests give their own answers (testing/fake_resolver.h).
//
//   Every lookup tells apart what a caller must treat differently: an answer;
//   a name that does not exist (NXDOMAIN) or has no record of the type
//   (NODATA), which is permanent; and a temporary failure (SERVFAIL, a
//   timeout, no server reachable), after which the caller retries later.
//
//   `authenticated` is the AD bit of the answer (RFC 4035 3.2.3): the
//   configured resolver says it validated the answer with DNSSEC. Queries
//   ask for it (AD set in the query, RFC 6840 5.7). It is only as good as
//   the resolver and the path to it: DANE relies on it, so the resolver
//   must validate and be reached over loopback (docs/delivery.md).
//   An answer and a permanent failure carry how long they may be kept (the
//   records' TTL; RFC 2308 for the failures); a temporary one is never kept.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace appliance::dns {

enum class Outcome {
  kAnswer,     // records holds at least one record
  kNoDomain,   // NXDOMAIN: permanent
  kNoData,     // the name exists, without a record of this type: permanent
  kTemporary,  // SERVFAIL, timeout, refused, unreachable: try again later
};

template <class T>
struct Lookup {
  Outcome outcome = Outcome::kTemporary;
  std::vector<T> records;
  std::string message;  // why, when there is no answer
  bool authenticated = false;  // the AD bit: DNSSEC-validated by the resolver
  std::uint32_t ttl = 0;  // seconds the answer, or the permanent failure, may be kept
  // addresses(): the name the records were found at when the host is an
  // alias (the end of the answer's CNAME chain, RFC 7672 2.2.3); else "".
  std::string canonical;

  bool ok() const { return outcome == Outcome::kAnswer; }
  bool permanent() const { return outcome == Outcome::kNoDomain || outcome == Outcome::kNoData; }
  bool temporary() const { return outcome == Outcome::kTemporary; }
};

struct Mx {
  std::uint16_t preference = 0;
  std::string host;  // "" for a null MX ("." , RFC 7505)
};

// One TLSA record (RFC 6698 2.1).
struct Tlsa {
  std::uint8_t usage = 0, selector = 0, matching = 0;
  std::string data;  // the certificate association data, binary
};

const char* outcome_name(Outcome outcome);

class Resolver {
 public:
  virtual ~Resolver() = default;
  // Sorted by preference, lowest first.
  virtual Lookup<Mx> mx(std::string_view domain) = 0;
  // IPv4 and IPv6 addresses as text, IPv6 first when the name has both; the
  // outcome is an answer if either family has one, temporary if either failed
  // so, else that of the IPv4 lookup. `canonical` only when every family that
  // answered came through the same alias.
  virtual Lookup<std::string> addresses(std::string_view host) = 0;
  // Each TXT record's strings joined into one (RFC 7208 3.3).
  virtual Lookup<std::string> txt(std::string_view name) = 0;
  virtual Lookup<Tlsa> tlsa(std::string_view name) = 0;
};

}  // namespace appliance::dns
