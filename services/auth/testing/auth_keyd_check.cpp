// NAME
//   auth_keyd_check.cpp - the auth pieces against a real keyd, for the end-to-end test.
//
// DESCRIPTION
//   auth_keyd_check --keyd <socket> [--rotate]
//   Hashes and verifies a password, makes and verifies an app password,
//   recovery codes and a sealed TOTP seed, all through keyd, printing one
//   line per result. With --rotate (root: keyd administration) it then rotates
//   secret/password-pepper and checks that the old hash still verifies and
//   asks for a rehash, and that a new hash names the new version.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "auth/password.h"
#include "auth/recovery.h"
#include "auth/tokens.h"
#include "auth/totp.h"

namespace {

using namespace appliance;
using namespace appliance::auth;

int fail(const std::string& what, const std::string& message) {
  std::printf("FAIL %s: %s\n", what.c_str(), message.c_str());
  return 1;
}

int check_passwords(SecretKeys& keys, std::string& stored) {
  PasswordHasher hasher(keys, Argon2Params{1024, 1, 1});
  auto hash = hasher.hash(Secret("a good long password"));
  if (!hash) return fail("hash", hash.message());
  stored = *hash;
  auto good = hasher.verify(Secret("a good long password"), stored);
  auto bad = hasher.verify(Secret("a wrong long password"), stored);
  auto unknown = hasher.verify_unknown(Secret("a good long password"));
  if (!good || !bad || !unknown) return fail("verify", "keyd error");
  std::printf("password %s ok=%d wrong=%d unknown=%d\n", parse_stored_password(stored)->key.c_str(),
              good->ok, bad->ok, unknown->ok);
  return 0;
}

int check_secrets(SecretKeys& keys) {
  auto token = make_token(keys, TokenKind::app_password);
  if (!token) return fail("token", token.message());
  auto ok = verify_token(keys, *parse_token(token->text), token->stored);
  if (!ok) return fail("token verify", ok.message());
  std::printf("token %s ok=%d\n", token->stored.key.c_str(), *ok);
  auto codes = generate_recovery_codes(keys, "alice@example.test");
  if (!codes) return fail("recovery", codes.message());
  auto used = consume_recovery_code(keys, "alice@example.test", codes->shown[3], codes->stored);
  std::printf("recovery %s consumed=%d\n", codes->stored[0].key.c_str(), used ? int(*used) : -1);
  Secret seed = new_totp_secret();
  auto sealed = seal_totp_secret(keys, seed, "alice@example.test");
  if (!sealed) return fail("seal", sealed.message());
  auto opened = unseal_totp_secret(keys, *sealed, "alice@example.test");
  auto moved = unseal_totp_secret(keys, *sealed, "mallory@example.test");
  std::printf("totp %s same=%d other_account_opens=%d\n", sealed->key.c_str(),
              opened && seed.equals(opened->reveal()), bool(moved));
  return 0;
}

int check_rotation(keyd::KeydClient& client, SecretKeys& keys, const std::string& stored) {
  auto rotated = client.rotate(std::string(kPasswordPepper), "");
  if (!rotated) return fail("rotate", rotated.message());
  PasswordHasher hasher(keys, Argon2Params{1024, 1, 1});
  auto old = hasher.verify(Secret("a good long password"), stored);
  auto wrong = hasher.verify(Secret("a wrong long password"), stored);
  auto fresh = hasher.hash(Secret("a good long password"));
  if (!old || !wrong || !fresh) return fail("after rotation", "keyd error");
  std::printf("rotated %s old_ok=%d needs_rehash=%d wrong=%d new=%s\n", rotated->name.c_str(),
              old->ok, old->needs_rehash, wrong->ok, parse_stored_password(*fresh)->key.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"auth pieces through keyd"};
  std::string socket;
  bool rotate = false;
  app.add_option("--keyd", socket, "keyd's socket")->required();
  app.add_flag("--rotate", rotate, "rotate secret/password-pepper, then check old hashes");
  CLI11_PARSE(app, argc, argv);
  keyd::KeydClient client(socket);
  KeydSecretKeys keys(client);
  std::string stored;
  if (int rc = check_passwords(keys, stored)) return rc;
  if (int rc = check_secrets(keys)) return rc;
  if (rotate) return check_rotation(client, keys, stored);
  return 0;
}
