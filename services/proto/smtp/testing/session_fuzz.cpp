// Fuzz target: a whole session. The first byte picks the configuration; then
// each step is op, length, payload: op 0-1 feeds the payload as received
// bytes, 2 accepts the pending question (payload as detail), 3 refuses it.
// Invariants: every reply is whole CRLF-terminated lines with a 3-digit code,
// and nothing comes after Close.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "proto/smtp/session.h"

using namespace appliance::smtp;

namespace {

SessionConfig config_from(uint8_t bits) {
  SessionConfig c;
  c.mode = bits & 1 ? Mode::submission : Mode::mx;
  c.tls_available = bits & 2;
  c.implicit_tls = bits & 4;
  if (bits & 8) c.max_message_size = 64, c.max_body_line = 20;
  if (bits & 16) c.max_recipients = 2, c.max_errors = 4, c.max_buffered = 256;
  return c;
}

void check_reply(std::string_view text) {
  while (!text.empty()) {
    std::size_t end = text.find("\r\n");
    if (end == std::string_view::npos || end < 3) std::abort();
    for (int i = 0; i < 3; ++i) {
      if (text[i] < '0' || text[i] > '9') std::abort();
    }
    if (text.substr(0, end).find_first_of("\r\n") != std::string_view::npos) std::abort();
    text.remove_prefix(end + 2);
  }
}

void drain(Session& s, bool& closed) {
  for (const auto& e : s.take_events()) {
    if (closed) std::abort();
    if (auto* send = std::get_if<event::Send>(&e)) check_reply(send->text);
    if (std::holds_alternative<event::Close>(e)) closed = true;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Session s(config_from(data[0]));
  if (!(data[0] & 32)) s.greet();  // else: the client talks first
  bool closed = false;
  std::size_t i = 1;
  while (i + 2 <= size) {
    uint8_t op = data[i] % 4;
    std::size_t n = std::min<std::size_t>(data[i + 1], size - i - 2);
    std::string_view payload(reinterpret_cast<const char*>(data) + i + 2, n);
    i += 2 + n;
    if (op < 2)
      s.receive(payload);
    else if (op == 2)
      s.answer(Verdict::accept(std::string(payload)));
    else
      s.answer(Verdict::refuse(make_reply(400 + static_cast<int>(n % 200), "4.0.0", payload)));
    if (data[0] & 64) s.greet();
    drain(s, closed);
  }
  return 0;
}
