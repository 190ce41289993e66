// NAME
//   check.cpp - SPF evaluation (RFC 7208 4, 5, 6).
#include "proto/spf/check.h"

#include <fmt/format.h>

#include "proto/spf/macro.h"

namespace appliance::spf {

namespace {

constexpr int kMaxLookups = 10, kMaxVoid = 2, kMaxMx = 10;

// A match, no match, or the verdict that ends the evaluation.
struct Match {
  bool matched = false;
  std::optional<Verdict> stop;
};

Match stop(Outcome o, std::string why) { return {false, Verdict{o, std::move(why)}}; }

bool valid_domain(std::string_view d) {
  if (d.empty() || d.size() > 253 || d.find('.') == std::string_view::npos) return false;
  std::size_t label = 0;
  for (char c : d) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
    } else if (++label > 63) {
      return false;
    }
  }
  return true;
}

Outcome of(Qualifier q) {
  switch (q) {
    case Qualifier::fail: return Outcome::fail;
    case Qualifier::softfail: return Outcome::softfail;
    case Qualifier::neutral: return Outcome::neutral;
    default: return Outcome::pass;
  }
}

class Checker {
 public:
  Checker(dns::Resolver& r, const Query& q) : resolver_(r), query_(q) {}

  Verdict check(const std::string& domain, int depth) {
    if (depth > kMaxLookups) return {Outcome::permerror, "too deeply nested"};
    if (!valid_domain(domain)) return {Outcome::none, fmt::format("\"{}\" is not a domain", domain)};
    auto txt = resolver_.txt(domain);
    if (txt.temporary()) return {Outcome::temperror, fmt::format("{}: {}", domain, txt.message)};
    std::vector<std::string> spf;
    for (const std::string& t : txt.records)
      if (is_spf(t)) spf.push_back(t);
    if (spf.empty()) return {Outcome::none, fmt::format("{} has no SPF record", domain)};
    if (spf.size() > 1) return {Outcome::permerror, fmt::format("{} has {} SPF records", domain, spf.size())};
    auto record = parse_record(spf.front());
    if (!record) return {Outcome::permerror, fmt::format("{}: {}", domain, record.message())};
    return evaluate(*record, domain, depth);
  }

 private:
  Verdict evaluate(const Record& record, const std::string& domain, int depth) {
    for (const Mechanism& m : record.mechanisms) {
      Match r = match(m, domain, depth);
      if (r.stop) return *r.stop;
      if (r.matched)
        return {of(m.qualifier), fmt::format("{} matched in the record of {}", kind_name(m.kind), domain)};
    }
    if (!record.redirect) return {Outcome::neutral, fmt::format("nothing matched in the record of {}", domain)};
    if (++lookups_ > kMaxLookups) return {Outcome::permerror, "more than 10 DNS lookups"};
    auto target = target_of(*record.redirect, domain);
    if (!target) return {Outcome::permerror, target.message()};
    Verdict v = check(*target, depth + 1);
    if (v.outcome == Outcome::none) v.outcome = Outcome::permerror;
    return v;
  }

  static const char* kind_name(Kind k) {
    constexpr const char* names[] = {"all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"};
    return names[static_cast<int>(k)];
  }

  Result<std::string> target_of(const std::string& spec, const std::string& domain) {
    if (spec.empty()) return domain;
    MacroContext c{query_.sender, domain, query_.ip, query_.helo};
    return expand(spec, c);
  }

  bool count_void() { return ++voids_ > kMaxVoid; }

  Match match(const Mechanism& m, const std::string& domain, int depth) {
    switch (m.kind) {
      case Kind::all: return {true, {}};
      case Kind::ip4:
      case Kind::ip6: return {in_network(query_.ip, m.network, query_.ip.v6 ? m.cidr6 : m.cidr4), {}};
      default: break;
    }
    if (++lookups_ > kMaxLookups) return stop(Outcome::permerror, "more than 10 DNS lookups");
    auto target = target_of(m.domain, domain);
    if (!target) return stop(Outcome::permerror, target.message());
    switch (m.kind) {
      case Kind::include: return include(*target, depth);
      case Kind::a: return addresses(*target, m);
      case Kind::mx: return mx(*target, m);
      case Kind::exists: return addresses(*target, Mechanism{.cidr4 = 0, .cidr6 = 0});
      default: return {false, {}};  // ptr
    }
  }

  Match include(const std::string& target, int depth) {
    Verdict v = check(target, depth + 1);
    switch (v.outcome) {
      case Outcome::pass: return {true, {}};
      case Outcome::temperror: return {false, v};
      case Outcome::permerror:
      case Outcome::none: return stop(Outcome::permerror, "include: " + v.reason);
      default: return {false, {}};
    }
  }

  Match addresses(const std::string& host, const Mechanism& m) {
    auto found = resolver_.addresses(host);
    if (found.temporary()) return stop(Outcome::temperror, fmt::format("{}: {}", host, found.message));
    if (!found.ok()) {
      if (count_void()) return stop(Outcome::permerror, "more than 2 void lookups");
      return {false, {}};
    }
    for (const std::string& text : found.records) {
      auto a = parse_address(text);
      if (a && in_network(query_.ip, *a, query_.ip.v6 ? m.cidr6 : m.cidr4)) return {true, {}};
    }
    return {false, {}};
  }

  Match mx(const std::string& domain, const Mechanism& m) {
    auto found = resolver_.mx(domain);
    if (found.temporary()) return stop(Outcome::temperror, fmt::format("{}: {}", domain, found.message));
    if (!found.ok()) {
      if (count_void()) return stop(Outcome::permerror, "more than 2 void lookups");
      return {false, {}};
    }
    if (found.records.size() > kMaxMx) return stop(Outcome::permerror, "more than 10 MX names");
    for (const dns::Mx& host : found.records) {
      if (host.host.empty()) continue;
      Match r = addresses(host.host, m);
      if (r.matched || r.stop) return r;
    }
    return {false, {}};
  }

  dns::Resolver& resolver_;
  const Query& query_;
  int lookups_ = 0, voids_ = 0;
};

}  // namespace

const char* outcome_name(Outcome o) {
  constexpr const char* names[] = {"none",     "neutral",   "pass",     "fail",
                                   "softfail", "temperror", "permerror"};
  return names[static_cast<int>(o)];
}

Verdict check_host(dns::Resolver& resolver, const Query& query) {
  Checker c(resolver, query);
  return c.check(query.domain, 0);
}

}  // namespace appliance::spf
