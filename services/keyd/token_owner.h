// NAME
//   token_owner.h - keyd's hold on the token: module, slot, login.
//
// DESCRIPTION
//   keyd is the only process that opens the token and the only one that knows
//   its PIN. TokenOwner loads the PKCS#11 module, finds the token by label and
//   logs in; when any of that fails it keeps the reason, which keyd reports as
//   "not ready" on its admin socket, and tries again later: it never loops
//   silently and never exits for a missing token.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "common/secret.h"
#include "hsm/module.h"
#include "hsm/token.h"

namespace appliance::keyd {

struct TokenSettings {
  std::string module_path;
  std::string token_label;
  std::filesystem::path softhsm_conf;  // empty for a real HSM
};

class TokenOwner {
 public:
  explicit TokenOwner(TokenSettings settings) : settings_(std::move(settings)) {}

  // Loads the module (once) and logs in; the result is kept for health().
  Result<void> open(const Secret& pin);
  bool ready() const { return session_.has_value(); }
  const std::string& reason() const { return reason_; }
  const TokenSettings& settings() const { return settings_; }
  // Valid once ready(): for opening one session per thread.
  const hsm::Module& module() const { return *module_; }
  CK_SLOT_ID slot() const { return session_->slot(); }

 private:
  TokenSettings settings_;
  std::unique_ptr<hsm::Module> module_;
  std::optional<hsm::Session> session_;  // the login session; held open
  std::string reason_ = "token not opened yet";
};

// `keyd init-token`: creates the token and its PIN files. Run as root at first
// start; the PKCS#11 work itself is done after dropping to keyd's user, so the
// token files belong to that user.
int init_token(const TokenSettings& settings, const std::filesystem::path& token_dir,
               const std::filesystem::path& pin_file, const std::filesystem::path& so_pin_file,
               const std::string& user);

// Reads a PIN file (as root, before the privilege drop).
Result<Secret> read_pin(const std::filesystem::path& path);

}  // namespace appliance::keyd
