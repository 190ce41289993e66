// Fuzz target: autoconfig and autodiscover requests. The input is split at
// the first three newlines into target, host and body; the first byte picks
// the method. Invariant: a document served balances its '<' and '>', so
// nothing from the request was copied into it unescaped.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "webd/autoconfig.h"

using namespace appliance::webd;

namespace {

std::string_view cut(std::string_view& rest) {
  std::size_t nl = rest.find('\n');
  std::string_view part = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? "" : rest.substr(nl + 1);
  return part;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  HttpRequest r;
  r.method = data[0] & 1 ? "POST" : "GET";
  r.target = cut(rest);
  r.host = cut(rest);
  r.body = rest;
  MailSettings s = mail_settings("mail.example.test", "example.test",
                                 {{"imaps", "127.0.0.1:993"}, {"pop3", "127.0.0.1:110"}});
  auto response = handle_autoconfig(r, s);
  if (response && response->status == 200 &&
      std::count(response->body.begin(), response->body.end(), '<') !=
          std::count(response->body.begin(), response->body.end(), '>'))
    std::abort();
  return 0;
}
