// NAME
//   token.h - PINs, token initialisation, sessions and login.
//
// DESCRIPTION
//   The token PIN is made here, never typed: SoftHSM derives its key-store key
//   from the PIN with only ~1,500 SHA-256 rounds, so the PIN must carry the
//   strength itself. generate_pin() gives 48 characters from a 64-letter
//   alphabet (288 bits) drawn with RAND_bytes.
//
//   init_token() initialises a free token with a random SO PIN, then sets a
//   random user PIN, and returns both; the caller stores them (keyd's PIN file)
//   or they are lost.
//
// THREADS
//   A Session must never be shared between threads: one PKCS#11 session used
//   by two threads at once crashes SoftHSM. Open one Session per thread (or
//   guard one with a mutex). Sessions themselves may be opened concurrently.
//   Login state belongs to the token, not to the session: the first login
//   serves every session of this process, and closing the last session of a
//   token logs out. Session::login() therefore accepts "already logged in".
//   Note that while the token is logged in SoftHSM answers every C_Login with
//   CKR_USER_ALREADY_LOGGED_IN without looking at the PIN: login() cannot be
//   used to check a PIN then.
#pragma once

#include <string_view>

#include "common/result.h"
#include "common/secret.h"
#include "module.h"
#include "p11.h"

namespace appliance::hsm {

// length >= 32 random characters of [A-Za-z0-9_-].
Result<Secret> generate_pin(std::size_t length = 48);

struct InitializedToken {
  CK_SLOT_ID slot = 0;  // where the token is now (SoftHSM moves it on init)
  Secret so_pin;
  Secret user_pin;
};

// Initialises the first uninitialised token under `label` (1 to 32 printable
// characters, not in use by another token of the module).
Result<InitializedToken> init_token(const Module& module, std::string_view label);

class Session {
 public:
  // A read-write session on the token in `slot`.
  static Result<Session> open(const Module& module, CK_SLOT_ID slot);

  Session(Session&& other) noexcept;
  Session& operator=(Session&& other) noexcept;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  Result<void> login(const Secret& user_pin);
  Result<void> login_so(const Secret& so_pin);
  Result<void> logout();

  const Module& module() const { return *module_; }
  CK_FUNCTION_LIST* fn() const { return module_->fn(); }
  CK_SESSION_HANDLE handle() const { return handle_; }
  CK_SLOT_ID slot() const { return slot_; }

 private:
  Session(const Module& module, CK_SLOT_ID slot, CK_SESSION_HANDLE handle)
      : module_(&module), slot_(slot), handle_(handle) {}
  void close();

  const Module* module_;
  CK_SLOT_ID slot_;
  CK_SESSION_HANDLE handle_;
};

}  // namespace appliance::hsm
