// NAME
//   http_fuzz.cpp - libFuzzer target: HTTP requests read from arbitrary bytes,
//   fed in two pieces, then answered by the site, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "webd/http.h"
#include "webd/site.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace appliance::webd;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  static const Site site{MailSettings{"mail.example.test", "example.test"}, 443};
  RequestReader reader;
  reader.feed(input.substr(0, size / 2));
  reader.feed(input.substr(size / 2));
  while (auto read = reader.next()) {
    if (auto* r = std::get_if<ReadRequest>(&*read)) {
      (void)serialize(handle_request(r->request, site), r->keep_alive);
      (void)serialize(handle_plain(r->request, site), false);
    } else {
      break;
    }
  }
  return 0;
}
