// Fuzz target: the command reader and parser. The bytes are fed in two
// pieces to a CommandReader with small limits; each whole command is parsed
// with and without UTF8=ACCEPT. Invariants: no crash, no read past the
// input; a string rendered by quote() reads back as itself; a mailbox name
// that decodes from modified UTF-7 encodes back to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "proto/imap/command.h"
#include "proto/imap/input.h"
#include "proto/imap/mailbox_name.h"
#include "proto/imap/response.h"

using namespace appliance::imap;

namespace {

void check_quote(std::string_view s) {
  if (s.find('\0') != std::string_view::npos) return;  // replaced on the way out
  std::string wire = quote(s, true);
  Reader r(wire);
  auto back = r.string();
  if (!back || *back != s || !r.at_end()) {
    // Quoted strings must hold valid UTF-8; a literal carries anything else.
    if (wire.front() == '"' || back) std::abort();
  }
}

void check_mailbox(std::string_view s) {
  auto name = mutf7_decode(s);
  if (name && mutf7_encode(*name) != s) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  CommandReader reader(InputLimits{256, 512, 2048});
  std::size_t half = size / 2;
  for (std::string_view piece : {in.substr(0, half), in.substr(half)}) {
    reader.feed(piece);
    while (auto next = reader.next()) {
      auto* c = std::get_if<input::Complete>(&*next);
      if (!c) continue;
      (void)parse_command(c->text, ParseContext{false});
      (void)parse_command(c->text, ParseContext{true});
    }
  }
  check_quote(in.substr(0, 64));
  check_mailbox(in.substr(0, 64));
  return 0;
}
