// Fuzz target: a whole POP3 session. The first byte picks the configuration;
// then each step is op, length, payload: op 0-3 feeds the payload as
// received bytes, 4 accepts the pending request with the payload as
// multi-line data, 5 refuses it, 6 streams the payload as data in two
// pieces. Invariants: every reply is whole
// CRLF-terminated text, a multi-line reply never ends its data early, and
// nothing comes after Close.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "proto/pop3/session.h"

using namespace appliance::pop3;

namespace {

SessionConfig config_from(uint8_t bits) {
  SessionConfig c;
  c.tls_available = bits & 1;
  c.implicit_tls = bits & 2;
  c.login_needs_tls = bits & 4;
  if (bits & 8) c.max_errors = 3, c.max_auth_failures = 1, c.max_buffered = 512;
  return c;
}

void drain(Session& s, bool& closed) {
  for (const auto& e : s.take_events()) {
    if (closed) std::abort();
    if (auto* send = std::get_if<event::Send>(&e); send && !send->text.ends_with("\r\n"))
      std::abort();
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
    if (op < 4) {
      s.receive(payload);
    } else if (op == 4 || op == 6) {
      std::string body(payload);
      if (op == 4) {
        s.answer(Answer::accept("done", body));
      } else {
        s.stream_begin("done");
        s.stream(payload.substr(0, n / 2));
        s.stream(payload.substr(n / 2));
        s.stream_end();
      }
      // Dot-stuffed data never holds the terminator before its end.
      auto events = s.take_events();
      for (const auto& e : events) {
        auto* send = std::get_if<event::Send>(&e);
        if (send && send->text.size() > 3 && send->text.ends_with("\r\n.\r\n") &&
            send->text.find("\r\n.\r\n") + 5 != send->text.size())
          std::abort();
      }
      if (closed && !events.empty()) std::abort();
      for (const auto& e : events) closed = closed || std::holds_alternative<event::Close>(e);
      continue;
    } else {
      s.answer(Answer::refuse(std::string(payload)));
    }
    drain(s, closed);
  }
  return 0;
}
