// Fuzz target: a whole IMAP session. The first byte picks the configuration;
// then each step is op, length, payload: op 0-3 feeds the payload as
// received bytes, 4 answers OK, 5 answers NO with the payload as text, 6
// pushes an update. Invariants: every response is whole CRLF-terminated
// lines, and nothing comes after Close. Setup is one small object per
// input, so a run stays fast.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "proto/imap/session.h"

using namespace appliance::imap;

namespace {

SessionConfig config_from(uint8_t bits) {
  SessionConfig c;
  c.tls_available = bits & 1;
  c.implicit_tls = bits & 2;
  c.login_needs_tls = bits & 4;
  if (bits & 8) c.limits = InputLimits{64, 128, 512}, c.max_queued = 2;
  if (bits & 16) c.max_errors = 3, c.max_auth_failures = 1;
  return c;
}

void check_text(std::string_view text) {
  if (text.size() < 2 || !text.ends_with("\r\n")) std::abort();
}

void drain(Session& s, bool& closed) {
  for (const auto& e : s.take_events()) {
    if (closed) std::abort();
    if (auto* send = std::get_if<event::Send>(&e)) check_text(send->text);
    if (std::holds_alternative<event::Close>(e)) closed = true;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Session s(config_from(data[0]));
  s.greet();
  bool closed = false;
  std::size_t i = 1;
  while (i + 2 <= size) {
    uint8_t op = data[i] % 7;
    std::size_t n = std::min<std::size_t>(data[i + 1], size - i - 2);
    std::string_view payload(reinterpret_cast<const char*>(data) + i + 2, n);
    i += 2 + n;
    if (op < 4)
      s.receive(payload);
    else if (op == 4)
      s.answer(Answer::ok());
    else if (op == 5)
      s.answer(Answer::no(std::string(payload)));
    else
      s.push("* 1 EXISTS\r\n");
    drain(s, closed);
  }
  return 0;
}
