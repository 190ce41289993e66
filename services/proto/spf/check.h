// NAME
//   check.h - check_host() of RFC 7208 over a dns::Resolver.
//
// DESCRIPTION
//   Evaluates the SPF record of a domain for a client address: mechanisms in
//   order, include and redirect followed, at most 10 terms that ask DNS and
//   at most 2 of their lookups answered "no such name" or "no data" (RFC 7208
//   4.6.4), more being permerror; a temporary DNS failure is temperror. "ptr"
//   never matches (this appliance does not look up PTR names; RFC 7208
//   5.5 says not to rely on it), and "exists" matches any address of the
//   name. The result names why. The lookups block: call on a worker.
#pragma once

#include <string>

#include "dns/resolver.h"
#include "proto/spf/record.h"

namespace appliance::spf {

enum class Outcome { none, neutral, pass, fail, softfail, temperror, permerror };
const char* outcome_name(Outcome o);

struct Query {
  Address ip;
  std::string sender;  // local@domain; for the null sender, postmaster@<helo>
  std::string helo;
  std::string domain;  // the sender's domain, or the HELO name
};

struct Verdict {
  Outcome outcome = Outcome::none;
  std::string reason;
};

Verdict check_host(dns::Resolver& resolver, const Query& query);

}  // namespace appliance::spf
