// NAME
//   reply_fuzz.cpp - libFuzzer target: any bytes as rspamd's scan reply.
#include <cmath>
#include <cstdlib>

#include "proto/rspamd/reply.h"

using namespace appliance;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto r = rspamd::parse_reply(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!r) return 0;
  if (!std::isfinite(r->score) || r->smtp_message.size() > rspamd::kMaxSmtpMessage) std::abort();
  for (char c : r->smtp_message)
    if (c < 0x20 || c >= 0x7f) std::abort();
  if (rspamd::action_name(r->action) == "unknown") std::abort();
  return 0;
}
