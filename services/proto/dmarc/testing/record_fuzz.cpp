// NAME
//   record_fuzz.cpp - libFuzzer target: any bytes as a DMARC record and as a
//   header section whose From domain is taken.
#include <cstdlib>

#include "proto/dmarc/record.h"

using namespace appliance;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = dmarc::parse_record(text);
  if (r && (r->pct < 0 || r->pct > 100)) std::abort();
  auto d = dmarc::from_domain(text);
  if (d && (d->empty() || d->find('.') == std::string::npos)) std::abort();
  if (d) (void)dmarc::aligned(*d, dmarc::organizational_domain(*d), false);
  return 0;
}
