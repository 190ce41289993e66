// NAME
//   record_fuzz.cpp - libFuzzer target: any bytes as an SPF record, a macro
//   string, and the record evaluated against a resolver that answers with the
//   same bytes.
#include <cstdlib>

#include "dns/testing/fake_resolver.h"
#include "proto/spf/check.h"
#include "proto/spf/macro.h"
#include "proto/spf/record.h"

using namespace appliance;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)spf::parse_record(text);
  spf::MacroContext c{"user@example.test", "example.test", *spf::parse_address("2001:db8::1"),
                      "helo.example.test"};
  auto e = spf::expand(text, c);
  if (e && e->size() > 253 && e->find('.') != std::string::npos) std::abort();
  dns::testing::FakeResolver r;
  r.txt_answers["example.test"] = {dns::Outcome::kAnswer, {text}, {}};
  r.txt_answers["loop.example.test"] = {dns::Outcome::kAnswer, {text}, {}};
  r.set_addresses("example.test", {"192.0.2.1", "2001:db8::1"});
  r.set_mx("example.test", {{10, "example.test"}});
  spf::Query q{*spf::parse_address("192.0.2.1"), "user@example.test", "helo.example.test",
               "example.test"};
  (void)spf::check_host(r, q);
  return 0;
}
