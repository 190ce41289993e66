// NAME
//   email_tokens.cpp - codes sent by mail: made, parsed, checked as HMACs.
#include "auth/email_tokens.h"

#include <fmt/format.h>
#include <openssl/crypto.h>

#include "auth/encoding.h"

namespace appliance::auth {
namespace {

Secret mac_input(EmailPurpose purpose, std::string_view account, std::string_view address,
                 std::string_view code) {
  return Secret(
      fmt::format("email-token\n{}\n{}\n{}\n{}", to_string(purpose), account, address, code));
}

}  // namespace

std::string_view to_string(EmailPurpose purpose) {
  return purpose == EmailPurpose::contact ? "contact" : "reset";
}

Result<NewEmailToken> make_email_token(SecretKeys& keys, EmailPurpose purpose,
                                       std::string_view account, std::string_view address) {
  std::string code = base32_lower(random_bytes(16)).substr(0, kEmailTokenChars);
  Secret plain(code);
  OPENSSL_cleanse(code.data(), code.size());
  auto mac = keys.hmac(std::string(kApiPepper),
                       mac_input(purpose, account, address, plain.reveal()).reveal());
  if (!mac) return mac.error();
  std::string shown;
  for (std::size_t i = 0; i < kEmailTokenChars; i += 5)
    shown += (i ? "-" : "") + std::string(plain.reveal().substr(i, 5));
  return NewEmailToken{Secret(std::move(shown)), std::move(*mac)};
}

Result<Secret> parse_email_token(const Secret& presented) {
  std::string code;
  bool valid = presented.size() <= 64;
  for (char c : presented.reveal().substr(0, 64)) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    valid = valid && ((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'));
    code += c;
  }
  Secret s(std::move(code));
  if (!valid || s.size() != kEmailTokenChars)
    return make_error("the code is 25 letters and digits, in groups of five like abcde-23456-...");
  return s;
}

Result<bool> verify_email_token(SecretKeys& keys, EmailPurpose purpose, std::string_view account,
                                std::string_view address, const Secret& code,
                                const std::string& key, std::string_view mac) {
  return keys.hmac_verify(key, mac_input(purpose, account, address, code.reveal()).reveal(), mac);
}

}  // namespace appliance::auth
