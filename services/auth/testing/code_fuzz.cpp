// Fuzz target: TOTP codes, recovery codes and mailed codes as a user types them.
#include <cstddef>
#include <cstdint>
#include <string>

#include "auth/email_tokens.h"
#include "auth/recovery.h"
#include "auth/totp.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace appliance::auth;
  static auto keys = LocalSecretKeys::with_defaults();
  static const appliance::Secret seed("12345678901234567890");
  static auto codes = *generate_recovery_codes(keys, "fuzz@example.test");
  std::string text(reinterpret_cast<const char*>(data), size);
  auto code = parse_totp_code(text);
  if (code && code->size() != 6) __builtin_trap();
  (void)totp_verify(seed, text, 1'700'000'000, 56'666'666);
  auto stored = codes.stored;  // a copy: consuming must not leak into the next input
  (void)consume_recovery_code(keys, "fuzz@example.test", appliance::Secret(text), stored);
  auto mailed = parse_email_token(appliance::Secret(text));
  if (mailed && mailed->size() != kEmailTokenChars) __builtin_trap();
  return 0;
}
