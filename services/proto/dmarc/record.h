// NAME
//   record.h - DMARC (RFC 7489): the policy record, the From domain,
//   alignment, and the evaluation of a message's SPF and DKIM results.
//
// DESCRIPTION
//   parse_record() reads a _dmarc TXT record strictly (the DKIM tag-list
//   grammar): v=DMARC1 first, p= none|quarantine|reject required, sp=,
//   adkim= and aspf= r|s, pct= 0..100; rua, ruf, fo, rf, ri are read as
//   text (no reports are sent). from_domain() takes the RFC5322.From domain
//   of a header section: exactly one From field holding one address, else an
//   error. The organizational domain is a name's longest public suffix
//   and one label more (RFC 7489 3.2; the Public Suffix List through libpsl,
//   from the publicsuffix package or libpsl's own copy, whichever is newer). evaluate() finds the
//   policy (the From domain's record, else its organizational domain's) and says pass when an SPF
//   pass or a DKIM pass is aligned with the From domain. Parsing is pure; evaluate() asks DNS
//   through dns::Resolver.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "dns/resolver.h"

namespace appliance::dmarc {

enum class Policy { none, quarantine, reject };
const char* policy_name(Policy p);

struct Record {
  Policy policy = Policy::none;
  std::optional<Policy> subdomain_policy;
  bool strict_dkim = false;
  bool strict_spf = false;
  int pct = 100;
};

bool is_dmarc(std::string_view txt);
Result<Record> parse_record(std::string_view txt);
Result<std::string> from_domain(std::string_view header_section);
// The one address of the one From field, as written, without the spaces
// and comment around it; and the domain of such an address, lower-cased.
Result<std::string> from_address(std::string_view header_section);
Result<std::string> domain_of_address(std::string_view address);
std::string organizational_domain(std::string_view domain);
bool aligned(std::string_view authenticated, std::string_view from, bool strict);

enum class Outcome { none, pass, fail, temperror, permerror };
const char* outcome_name(Outcome o);

struct Authenticated {
  std::optional<std::string> spf_domain;  // the MAIL FROM (or HELO) domain, when SPF passed
  std::vector<std::string> dkim_domains;  // d= of each signature that passed
};

struct Evaluation {
  Outcome outcome = Outcome::none;
  Policy policy = Policy::none;  // what the domain asks for a failing message
  std::string reason;
  int pct = 100;  // of failing messages to apply it to (RFC 7489 6.6.4)
};

Evaluation evaluate(dns::Resolver& resolver, const std::string& from, const Authenticated& a);

}  // namespace appliance::dmarc
