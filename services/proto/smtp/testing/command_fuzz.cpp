// Fuzz target: the command parser never crashes, never reads past its input,
// and every refusal is a well-formed reply.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "proto/smtp/auth.h"
#include "proto/smtp/command.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace appliance::smtp;
  std::string_view line(reinterpret_cast<const char*>(data), size);
  for (bool utf8 : {false, true}) {
    auto parsed = parse_command(line, {utf8});
    if (!parsed) {
      const Reply& r = parsed.reply();
      if (r.code < 400 || r.code > 599 || r.wire().find('\n') + 1 != r.wire().size()) std::abort();
      continue;
    }
    if (auto* m = std::get_if<Mail>(&*parsed)) (void)m->sender.text();
  }
  (void)decode_plain(line);
  (void)decode_login_field(line);
  return 0;
}
