// NAME
//   token.cpp - random PINs, token initialisation, the Session handle.
//
// DESCRIPTION
//   See token.h. PIN characters come from RAND_bytes masked to 6 bits; 256 is a
//   multiple of 64, so every character is equally likely.
#include "token.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <string>

namespace appliance::hsm {

namespace {

constexpr std::string_view kPinAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static_assert(kPinAlphabet.size() == 64);

Result<void> check_label(std::string_view label) {
  if (label.empty() || label.size() > 32) return Error{"token label must be 1 to 32 characters"};
  for (char c : label)
    if (c < 0x20 || c > 0x7e) return Error{"token label must be printable ASCII"};
  return {};
}

Result<void> login_as(const Session& session, CK_USER_TYPE user, const Secret& pin) {
  const CK_RV rv = session.fn()->C_Login(session.handle(), user, in_bytes(pin.reveal()),
                                         static_cast<CK_ULONG>(pin.size()));
  if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN) return {};
  return p11_error("C_Login", rv);
}

Result<Secret> set_user_pin(const Module& module, CK_SLOT_ID slot, const Secret& so_pin) {
  auto session = Session::open(module, slot);
  if (!session) return session.error();
  if (auto in = session->login_so(so_pin); !in) return in.error();
  auto user_pin = generate_pin();
  if (!user_pin) return user_pin.error();
  const CK_RV rv = session->fn()->C_InitPIN(session->handle(), in_bytes(user_pin->reveal()),
                                            static_cast<CK_ULONG>(user_pin->size()));
  (void)session->logout();
  if (rv != CKR_OK) return p11_error("C_InitPIN", rv);
  return std::move(*user_pin);
}

}  // namespace

Result<Secret> generate_pin(std::size_t length) {
  if (length < 32) return Error{"a PIN must be at least 32 characters"};
  std::string random(length, '\0');
  if (RAND_bytes(out_bytes(random), static_cast<int>(length)) != 1) {
    return Error{"RAND_bytes failed"};
  }
  std::string pin(length, '\0');
  for (std::size_t i = 0; i < length; ++i)
    pin[i] = kPinAlphabet[static_cast<unsigned char>(random[i]) & 63];
  OPENSSL_cleanse(random.data(), random.size());
  return Secret(std::move(pin));
}

Result<InitializedToken> init_token(const Module& module, std::string_view label) {
  if (auto ok = check_label(label); !ok) return ok.error();
  if (module.find_slot(label))
    return Error{"a token labelled \"" + std::string(label) + "\" exists"};
  auto free_slot = module.find_free_slot();
  if (!free_slot) return free_slot.error();

  auto so_pin = generate_pin();
  if (!so_pin) return so_pin.error();
  CK_UTF8CHAR padded[32];
  std::fill(std::begin(padded), std::end(padded), ' ');
  std::copy(label.begin(), label.end(), padded);
  const CK_RV rv = module.fn()->C_InitToken(*free_slot, in_bytes(so_pin->reveal()),
                                            static_cast<CK_ULONG>(so_pin->size()), padded);
  if (rv != CKR_OK) return p11_error("C_InitToken", rv);

  auto slot = module.find_slot(label);
  if (!slot) return slot.error();
  auto user_pin = set_user_pin(module, *slot, *so_pin);
  if (!user_pin) return user_pin.error();
  return InitializedToken{*slot, std::move(*so_pin), std::move(*user_pin)};
}

Result<Session> Session::open(const Module& module, CK_SLOT_ID slot) {
  CK_SESSION_HANDLE handle = CK_INVALID_HANDLE;
  const CK_RV rv = module.fn()->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr,
                                              nullptr, &handle);
  if (rv != CKR_OK) return p11_error("C_OpenSession", rv);
  return Session(module, slot, handle);
}

Session::Session(Session&& other) noexcept
    : module_(other.module_), slot_(other.slot_), handle_(other.handle_) {
  other.handle_ = CK_INVALID_HANDLE;
}

Session& Session::operator=(Session&& other) noexcept {
  if (this != &other) {
    close();
    module_ = other.module_;
    slot_ = other.slot_;
    handle_ = other.handle_;
    other.handle_ = CK_INVALID_HANDLE;
  }
  return *this;
}

Session::~Session() {
  close();
}

void Session::close() {
  if (handle_ != CK_INVALID_HANDLE) module_->fn()->C_CloseSession(handle_);
  handle_ = CK_INVALID_HANDLE;
}

Result<void> Session::login(const Secret& user_pin) {
  return login_as(*this, CKU_USER, user_pin);
}

Result<void> Session::login_so(const Secret& so_pin) {
  return login_as(*this, CKU_SO, so_pin);
}

Result<void> Session::logout() {
  return p11_check("C_Logout", fn()->C_Logout(handle_));
}

}  // namespace appliance::hsm
