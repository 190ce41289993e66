// NAME
//   secret_log_test.cpp - secrets handled by the auth pieces never reach log output.
//
// DESCRIPTION
//   A Secret cannot be given to the logger at all (a compile error, checked
//   by common_log_secret_refused). This test checks the other way a secret
//   could leak: through the messages and values the auth pieces return,
//   which daemons do log. Every flow is run with a recognisable password and
//   everything it returns is logged; the password must not appear.
#include <gtest/gtest.h>

#include "auth/credential_cache.h"
#include "auth/password.h"
#include "auth/policy.h"
#include "auth/recovery.h"
#include "auth/tokens.h"
#include "auth/totp.h"
#include "common/log.h"

namespace appliance::auth {
namespace {

constexpr std::string_view kMarker = "Zebra-Marker-Secret-7731";

template <class T>
void log_result(std::string_view what, const Result<T>& r) {
  log::warning(what, {{"ok", r.ok()}, {"error", r.ok() ? std::string() : r.message()}});
}

TEST(SecretLog, NoSecretInWhatIsLogged) {
  log::init("auth_test");
  testing::internal::CaptureStderr();
  auto keys = LocalSecretKeys::with_defaults();
  Secret password{std::string(kMarker)};

  PasswordHasher hasher(keys, Argon2Params{256, 1, 1});
  auto stored = hasher.hash(password);
  log_result("hash", stored);
  log::info("stored", {{"hash", *stored}});
  log_result("verify", hasher.verify(password, *stored));
  log_result("verify bad", hasher.verify(password, "$garbage"));
  log_result("policy", PasswordPolicy(nullptr).check(Secret(std::string(kMarker) + "alice"),
                                                     "alice@example.test"));
  log_result("policy short", PasswordPolicy(nullptr).check(Secret("Zebra"), "z@example.test"));
  log_result("token", parse_token(password));
  log_result("token2", parse_token(Secret("apw_abcdefgh_" + std::string(kMarker))));
  log_result("totp", totp_verify(password, kMarker, 1'700'000'000, std::nullopt));
  auto codes = *generate_recovery_codes(keys, "alice@example.test");
  log_result("recovery", consume_recovery_code(keys, "alice@example.test", password, codes.stored));
  ManualClock clock;
  CredentialCache cache(clock);
  cache.put("alice", password, "password", cache.generation());
  log::info("cache", {{"note", *cache.get("alice", password)}, {"size", cache.size()}});

  std::string output = testing::internal::GetCapturedStderr();
  EXPECT_NE(output.find("verify"), std::string::npos);  // the capture worked
  EXPECT_EQ(output.find(kMarker), std::string::npos) << output;
  EXPECT_EQ(output.find("Zebra"), std::string::npos) << output;
}

}  // namespace
}  // namespace appliance::auth
