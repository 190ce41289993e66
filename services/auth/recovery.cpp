// NAME
//   recovery.cpp - recovery codes: made, stored as HMACs, consumed once.
#include "auth/recovery.h"

#include <fmt/format.h>
#include <openssl/crypto.h>

#include <map>
#include <optional>

#include "auth/encoding.h"

namespace appliance::auth {
namespace {

constexpr std::size_t kCodeChars = 10;

// The account is part of what is MACed, so a row copied to another account fails.
Secret mac_input(std::string_view account, std::string_view code) {
  return Secret(fmt::format("recovery-code\n{}\n{}", account, code));
}

// "ABCDE-fghij " -> "abcdefghij", or an error.
Result<Secret> normalise(const Secret& presented) {
  std::string code;
  bool valid = true;
  for (char c : presented.reveal()) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    valid = valid && ((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'));
    code += c;
  }
  Secret s(std::move(code));  // wiped on every path
  if (!valid || s.size() != kCodeChars)
    return make_error("a recovery code is 10 letters and digits, like abcde-23456");
  return s;
}

}  // namespace

Result<RecoveryCodes> generate_recovery_codes(SecretKeys& keys, std::string_view account) {
  RecoveryCodes out;
  for (int i = 0; i < kRecoveryCodes; ++i) {
    std::string code = base32_lower(random_bytes(7)).substr(0, kCodeChars);  // 50 bits
    auto mac = keys.hmac(std::string(kApiPepper), mac_input(account, code).reveal());
    if (!mac) return mac.error();
    out.stored.push_back({mac->key, mac->mac, false});
    out.shown.emplace_back(code.substr(0, 5) + "-" + code.substr(5));
    OPENSSL_cleanse(code.data(), code.size());
  }
  return out;
}

Result<std::size_t> consume_recovery_code(SecretKeys& keys, std::string_view account,
                                          const Secret& presented,
                                          std::vector<StoredRecoveryCode>& stored) {
  auto code = normalise(presented);
  if (!code) return code.error();
  std::map<std::string, std::string> mac_by_version;
  std::optional<std::size_t> found;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    auto& s = stored[i];
    if (!mac_by_version.count(s.key)) {
      auto mac = keys.hmac(s.key, mac_input(account, code->reveal()).reveal());
      if (!mac) return mac.error();
      mac_by_version[s.key] = mac->mac;
    }
    const std::string& mine = mac_by_version[s.key];
    bool same =
        mine.size() == s.mac.size() && CRYPTO_memcmp(mine.data(), s.mac.data(), mine.size()) == 0;
    if (same && !s.used && !found) found = i;
  }
  if (!found) return make_error("the recovery code does not match, or was already used");
  stored[*found].used = true;
  return *found;
}

}  // namespace appliance::auth
