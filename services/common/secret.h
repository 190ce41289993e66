// NAME
//   secret.h - a string that must never be printed.
//
// DESCRIPTION
//   PINs, passwords and keys travel in Secret. It has no stream operator and no
//   fmt formatter, and the logger refuses it at compile time, so a secret cannot
//   reach a log line, an error message or a reply by accident. Its bytes are
//   wiped when it goes away.
#pragma once

#include <openssl/crypto.h>

#include <string>
#include <string_view>
#include <utility>

namespace appliance {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret& other) : value_(other.value_) {}
  Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }
  Secret& operator=(Secret other) noexcept {
    wipe();
    value_.swap(other.value_);
    return *this;
  }
  ~Secret() { wipe(); }

  // The only way to the bytes: the name makes every use visible in review.
  std::string_view reveal() const { return value_; }
  bool empty() const { return value_.empty(); }
  std::size_t size() const { return value_.size(); }

  // Constant time, so comparing a secret leaks no prefix length.
  bool equals(std::string_view other) const {
    return other.size() == value_.size() &&
           CRYPTO_memcmp(other.data(), value_.data(), value_.size()) == 0;
  }

 private:
  void wipe() {
    if (!value_.empty()) OPENSSL_cleanse(value_.data(), value_.size());
    value_.clear();
  }
  std::string value_;
};

template <class T>
inline constexpr bool is_secret_v = std::is_same_v<std::remove_cvref_t<T>, Secret>;

}  // namespace appliance
