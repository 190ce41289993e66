// NAME
//   summary_fuzz.cpp - libFuzzer target: any bytes as a message to summarise.
//
// DESCRIPTION
//   The summary must parse back, every part range must lie inside the
//   message (FETCH BODY[section] slices the stored bytes with them), and a
//   cached header must be exactly the message's header block. A message
//   summarised without GMime's parse (a simple header, simple_header.h)
//   must get the very summary GMime's parse gives.
#include <cstdlib>

#include "proto/mime/simple_header.h"
#include "proto/mime/summary.h"

using namespace appliance;

namespace {

void check(const mime::Part& p, std::uint64_t size) {
  if (p.header_begin > p.body_begin || p.body_begin > p.end || p.end > size) std::abort();
  for (const mime::Part& c : p.parts) check(c, size);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view message(reinterpret_cast<const char*>(data), size);
  auto text = mime::summarize(message);
  if (!text) return 0;
  auto back = mime::parse(*text);
  if (!back) std::abort();
  check(back->root, size);
  const mime::Part& r = back->root;
  if (back->header &&
      *back->header != message.substr(r.header_begin, r.body_begin - r.header_begin))
    std::abort();
  if (mime::simple_fields(message.substr(0, r.body_begin))) {
    auto gmime = mime::testing::analyse_with_gmime(message);
    if (!gmime || mime::serialize(*gmime) != *text) std::abort();
  }
  (void)mime::find(back->root, {1, 2, 1}, nullptr);
  (void)mime::parse(message);
  return 0;
}
