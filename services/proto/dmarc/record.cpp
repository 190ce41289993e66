// NAME
//   record.cpp - DMARC records, the From domain, alignment, evaluation.
#include "proto/dmarc/record.h"

#include <fmt/format.h>

#include <libpsl.h>
#include <algorithm>
#include <charconv>

#include "proto/common/ascii.h"
#include "proto/dkim/header.h"
#include "proto/dkim/tags.h"

namespace appliance::dmarc {

namespace {

Result<Policy> policy_of(std::string_view tag, std::string_view v) {
  if (v == "none") return Policy::none;
  if (v == "quarantine") return Policy::quarantine;
  if (v == "reject") return Policy::reject;
  return make_error(fmt::format("tag {}: unknown policy \"{}\"", tag, v.substr(0, 20)));
}

Result<bool> strictness(std::string_view tag, std::string_view v) {
  if (v == "r") return false;
  if (v == "s") return true;
  return make_error(fmt::format("tag {}: not r or s", tag));
}

// Where the address of a From value begins and ends: the last <...> outside
// quotes, else the whole value; a comma outside quotes and brackets means
// more than one address.
Result<std::string> address_of(std::string_view value) {
  bool quoted = false, angle = false;
  std::size_t open = std::string_view::npos, close = std::string_view::npos;
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '\\' && quoted) {
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == '<') {
      angle = true, open = i;
    } else if (!quoted && c == '>') {
      angle = false, close = i;
    } else if (!quoted && !angle && c == ',') {
      return make_error("the From field holds more than one address");
    }
  }
  if (open != std::string_view::npos && close != std::string_view::npos && close > open)
    return std::string(value.substr(open + 1, close - open - 1));
  return std::string(value);
}

Result<std::vector<std::string>> records_at(dns::Resolver& r, const std::string& name) {
  auto txt = r.txt(name);
  if (txt.temporary()) return make_error(fmt::format("{}: {}", name, txt.message));
  std::vector<std::string> found;
  for (const std::string& t : txt.records)
    if (is_dmarc(t)) found.push_back(t);
  return found;
}

}  // namespace

const char* policy_name(Policy p) {
  return p == Policy::reject ? "reject" : p == Policy::quarantine ? "quarantine" : "none";
}

const char* outcome_name(Outcome o) {
  constexpr const char* names[] = {"none", "pass", "fail", "temperror", "permerror"};
  return names[static_cast<int>(o)];
}

bool is_dmarc(std::string_view txt) {
  auto semi = txt.find(';');
  std::string_view first = txt.substr(0, semi);
  while (!first.empty() && (first.back() == ' ' || first.back() == '\t')) first.remove_suffix(1);
  while (!first.empty() && (first.front() == ' ' || first.front() == '\t')) first.remove_prefix(1);
  return first == "v=DMARC1";
}

Result<Record> parse_record(std::string_view txt) {
  auto tags = dkim::parse_tags(txt);
  if (!tags) return tags.error();
  if (tags->tags().empty() || tags->tags().front().name != "v" || tags->tags().front().value != "DMARC1")
    return make_error("tag v: not DMARC1, or not first");
  Record r;
  auto p = tags->get("p");
  if (!p) return make_error("tag p is missing");
  auto policy = policy_of("p", *p);
  if (!policy) return policy.error();
  r.policy = *policy;
  if (auto sp = tags->get("sp")) {
    auto s = policy_of("sp", *sp);
    if (!s) return s.error();
    r.subdomain_policy = *s;
  }
  for (auto [tag, field] : {std::pair{"adkim", &r.strict_dkim}, {"aspf", &r.strict_spf}}) {
    auto v = tags->get(tag);
    if (!v) continue;
    auto s = strictness(tag, *v);
    if (!s) return s.error();
    *field = *s;
  }
  if (auto pct = tags->get("pct")) {
    int n = -1;
    auto [end, ec] = std::from_chars(pct->data(), pct->data() + pct->size(), n);
    if (ec != std::errc() || end != pct->data() + pct->size() || n < 0 || n > 100)
      return make_error("tag pct: not a number from 0 to 100");
    r.pct = n;
  }
  return r;
}

Result<std::string> from_address(std::string_view header_section) {
  auto fields = dkim::split_fields(header_section);
  std::optional<std::string_view> from;
  for (std::string_view f : fields) {
    if (!dkim::same_name(dkim::field_name(f), "from")) continue;
    if (from) return make_error("the message has more than one From field");
    from = f;
  }
  if (!from) return make_error("the message has no From field");
  std::string_view value = from->substr(from->find(':') + 1);
  auto address = address_of(value);
  if (!address) return address.error();
  std::string_view a = *address;
  a.remove_prefix(std::min(a.size(), a.find_first_not_of(" \t\r\n")));
  return std::string(a.substr(0, a.find_first_of(" \t\r\n(")));
}

Result<std::string> domain_of_address(std::string_view address) {
  auto at = address.rfind('@');
  if (at == std::string_view::npos) return make_error("the From address has no domain");
  std::string_view domain = address.substr(at + 1);
  domain = domain.substr(0, domain.find_first_of(" \t\r\n>("));
  if (domain.empty() || domain.find('.') == std::string_view::npos)
    return make_error("the From domain is not a domain");
  return ascii::lowered(domain);
}

Result<std::string> from_domain(std::string_view header_section) {
  auto address = from_address(header_section);
  if (!address) return address.error();
  return domain_of_address(*address);
}

namespace {

// The public suffix list of the publicsuffix package, or the copy built
// into libpsl when that is newer or the file is missing; loaded once, then
// only read (libpsl's lookups are safe from several threads).
const psl_ctx_t* public_suffixes() {
  static const psl_ctx_t* list = [] {
    const psl_ctx_t* latest = psl_latest(nullptr);
    return latest ? latest : psl_builtin();
  }();
  return list;
}

}  // namespace

std::string organizational_domain(std::string_view domain) {
  std::string name = ascii::lowered(domain);
  if (!name.empty() && name.back() == '.') name.pop_back();
  // RFC 7489 3.2: the longest public suffix of the name and one label more. A
  // name that is a public suffix itself, or without a list, stands alone:
  // relaxed alignment then asks as much as strict, never less.
  const psl_ctx_t* list = public_suffixes();
  const char* registrable = list ? psl_registrable_domain(list, name.c_str()) : nullptr;
  return registrable ? std::string(registrable) : name;
}

bool aligned(std::string_view authenticated, std::string_view from, bool strict) {
  std::string a = ascii::lowered(authenticated), f = ascii::lowered(from);
  if (strict) return a == f;
  return organizational_domain(a) == organizational_domain(f);
}

Evaluation evaluate(dns::Resolver& resolver, const std::string& from, const Authenticated& a) {
  std::string org = organizational_domain(from);
  auto found = records_at(resolver, "_dmarc." + from);
  if (!found) return {Outcome::temperror, Policy::none, found.message()};
  bool at_org = false;
  if (found->empty() && org != from) {
    found = records_at(resolver, "_dmarc." + org);
    if (!found) return {Outcome::temperror, Policy::none, found.message()};
    at_org = true;
  }
  if (found->size() != 1)
    return {Outcome::none, Policy::none,
            found->empty() ? "no DMARC record" : "more than one DMARC record"};
  auto record = parse_record(found->front());
  if (!record) return {Outcome::permerror, Policy::none, record.message()};
  Policy policy = at_org && record->subdomain_policy ? *record->subdomain_policy : record->policy;
  bool spf = a.spf_domain && aligned(*a.spf_domain, from, record->strict_spf);
  bool dkim = std::any_of(a.dkim_domains.begin(), a.dkim_domains.end(),
                          [&](const std::string& d) { return aligned(d, from, record->strict_dkim); });
  if (spf || dkim)
    return {Outcome::pass, policy, spf ? "SPF aligned" : "DKIM aligned", record->pct};
  return {Outcome::fail, policy, "neither SPF nor DKIM passed aligned with the From domain",
          record->pct};
}

}  // namespace appliance::dmarc
