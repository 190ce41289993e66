// NAME
//   policy_fuzz.cpp - libFuzzer target: any bytes as an MTA-STS TXT record,
//   an HTTP response and a policy file; what is accepted keeps its limits.
#include <cstdlib>

#include "proto/mta_sts/policy.h"

using namespace appliance;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto r = mta_sts::parse_record(text); r && (r->id.empty() || r->id.size() > 32)) std::abort();
  auto body = mta_sts::policy_body(text);
  if (body && (body->size() > mta_sts::kMaxPolicy || body->size() > size)) std::abort();
  auto p = mta_sts::parse_policy(body ? *body : text);
  if (p) {
    if (p->max_age < 0 || p->max_age > mta_sts::kMaxAge) std::abort();
    if (p->mode != mta_sts::Mode::none && p->mx.empty()) std::abort();
    for (const auto& m : p->mx)
      if (m.empty() || !mta_sts::pattern_matches(m, m.starts_with("*.") ? "a" + m.substr(1) : m))
        std::abort();
  }
  return 0;
}
