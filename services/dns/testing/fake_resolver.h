// NAME
//   fake_resolver.h - a Resolver whose answers a test sets.
//
// DESCRIPTION
//   Names without an entry are NXDOMAIN; set(..., Outcome) makes any outcome.
//   Thread-safe, so a daemon's workers may share one.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "dns/resolver.h"

namespace appliance::dns::testing {

class FakeResolver : public Resolver {
 public:
  std::map<std::string, Lookup<Mx>> mx_answers;
  std::map<std::string, Lookup<std::string>> address_answers, txt_answers;
  std::map<std::string, Lookup<Tlsa>> tlsa_answers;

  // `authenticated`: as if a validating resolver had set the AD bit.
  void set_mx(const std::string& domain, std::vector<Mx> records, bool authenticated = false) {
    std::lock_guard lock(mutex_);
    mx_answers[domain] = {Outcome::kAnswer, std::move(records), {}, authenticated};
  }
  // `canonical`: the name at the end of a CNAME chain, when `host` is an alias.
  void set_addresses(const std::string& host, std::vector<std::string> records,
                     bool authenticated = false, std::string canonical = "") {
    std::lock_guard lock(mutex_);
    address_answers[host] = {Outcome::kAnswer, std::move(records), {}, authenticated};
    address_answers[host].canonical = std::move(canonical);
  }
  void set_tlsa(const std::string& name, std::vector<Tlsa> records, bool authenticated = true) {
    std::lock_guard lock(mutex_);
    tlsa_answers[name] = {Outcome::kAnswer, std::move(records), {}, authenticated};
  }

  Lookup<Mx> mx(std::string_view d) override { return find(mx_answers, d); }
  Lookup<std::string> addresses(std::string_view h) override { return find(address_answers, h); }
  Lookup<std::string> txt(std::string_view n) override { return find(txt_answers, n); }
  Lookup<Tlsa> tlsa(std::string_view n) override { return find(tlsa_answers, n); }

 private:
  template <class T>
  Lookup<T> find(const std::map<std::string, Lookup<T>>& answers, std::string_view name) {
    std::lock_guard lock(mutex_);
    auto it = answers.find(std::string(name));
    if (it != answers.end()) return it->second;
    return Lookup<T>{Outcome::kNoDomain, {}, std::string(name) + ": no such domain"};
  }
  std::mutex mutex_;
};

}  // namespace appliance::dns::testing
