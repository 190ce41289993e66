// NAME
//   logins.cpp - the account service over the store.
//
// DESCRIPTION
//   Until accounts have passwords (the account service), every login is
//   refused: imapd fails closed.
#include "imapd/logins.h"

namespace appliance::imapd {
namespace {

class RefuseAll final : public Logins, auth::LoginService {
 public:
  auth::LoginService& service() override { return *this; }
  Result<auth::LoginOutcome> login(const auth::LoginAttempt&) override {
    return auth::LoginOutcome{false, {}, 0, 0, {}, "no account service"};
  }
};

}  // namespace

Result<std::unique_ptr<Logins>> open_logins(store::Store&, keyd::KeydClient&) {
  return std::unique_ptr<Logins>(std::make_unique<RefuseAll>());
}

}  // namespace appliance::imapd
