// NAME
//   policy.h - which new passwords are accepted, with a precise reason for each refusal.
//
// DESCRIPTION
//   A new password must have at least min_chars characters (UTF-8 code
//   points), at most max_bytes bytes (Argon2's input is bounded), must not be
//   or contain the local part of the account's address, and must not be in
//   the list of known breached passwords.
//
//   BreachedList searches a sorted file on disk by binary search, so a list of
//   any size costs no memory. Two formats, told apart by the first line:
//   - plain: one lower-case password per line (data/common-passwords.txt);
//     the password is looked up lower-cased.
//   - SHA-1: upper-case hex SHA-1 of the password, optionally ":count" after
//     it, sorted by hash (the format of the "Pwned Passwords" download).
//   Either must be sorted bytewise (LC_ALL=C sort).
//
// SECURITY
//   Refusal messages never contain the password.
#pragma once

#include <string>
#include <string_view>

#include "auth/password.h"
#include "common/result.h"
#include "common/secret.h"

namespace appliance::auth {

class BreachedList {
 public:
  static Result<BreachedList> open(const std::string& path);
  BreachedList(BreachedList&& other) noexcept;
  BreachedList& operator=(BreachedList&&) = delete;
  ~BreachedList();

  Result<bool> contains(const Secret& password) const;
  bool hashed() const { return sha1_; }

 private:
  BreachedList(int fd, long long size, bool sha1) : fd_(fd), size_(size), sha1_(sha1) {}
  Result<bool> search(std::string_view key) const;
  int fd_ = -1;
  long long size_ = 0;
  bool sha1_ = false;
};

struct PolicyRules {
  std::size_t min_chars = 12;
  std::size_t max_bytes = kMaxPasswordBytes;
  // Shorter local parts ("al") are refused only when equal, not when contained.
  std::size_t min_contained = 3;
};

class PasswordPolicy {
 public:
  // breached may be null: no list is checked (tests, or a box without one).
  explicit PasswordPolicy(const BreachedList* breached, PolicyRules rules = {})
      : breached_(breached), rules_(rules) {}
  // address: the account's address, e.g. "alice@example.test".
  Result<void> check(const Secret& password, std::string_view address) const;

 private:
  const BreachedList* breached_;
  PolicyRules rules_;
};

}  // namespace appliance::auth
