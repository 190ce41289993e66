// NAME
//   session_auth.cpp - STLS, USER/PASS and AUTH PLAIN, and their answers.
#include "proto/common/sasl.h"
#include "proto/pop3/response.h"
#include "proto/pop3/session.h"

namespace appliance::pop3 {

void Session::stls() {
  if (tls_) return refuse("TLS already active");
  if (!config_.tls_available) return refuse("TLS is not available");
  send(ok("Begin TLS negotiation"));
  // RFC 2595 4: nothing sent before the handshake is read after it.
  in_.clear();
  user_.reset();
  pending_ = Pending::tls;
  events_.emplace_back(std::in_place_type<event::StartTls>);
}

void Session::answer_tls(const Answer& a) {
  if (!a.ok) return close("");
  tls_ = true;
}

bool Session::plaintext_refused() {
  if (tls_ || !config_.login_needs_tls) return false;
  refuse("Plaintext authentication disallowed; use STLS first", "AUTH");
  return true;
}

void Session::user(const User& c) {
  if (plaintext_refused()) return;
  user_ = c.name;
  send(ok("Send the password"));
}

void Session::pass(const Pass& c) {
  if (plaintext_refused()) return;
  if (!user_) return refuse("Send USER first");
  pending_ = Pending::login;
  events_.push_back(event::Login{"USER", "", *std::exchange(user_, std::nullopt), c.password});
}

void Session::auth(const Auth& c) {
  if (c.mechanism.empty()) {
    send(ok("Mechanisms follow"));
    if (tls_ || !config_.login_needs_tls) return send("PLAIN\r\n.\r\n");
    return send(".\r\n");
  }
  if (plaintext_refused()) return;
  if (c.mechanism != "PLAIN") return refuse("Unsupported authentication mechanism");
  if (c.initial) return sasl_plain(*c.initial);
  sasl_ = true;
  send("+ \r\n");
}

void Session::sasl_plain(std::string_view response) {
  auto plain = sasl::decode_plain(response);
  if (!plain) return refuse("Invalid PLAIN response");
  pending_ = Pending::login;
  events_.push_back(event::Login{"PLAIN", std::move(plain->authzid), std::move(plain->authcid),
                                 std::move(plain->password)});
}

void Session::answer_login(const Answer& a) {
  if (!a.ok) {
    send(err(a.text.empty() ? "Authentication failed" : a.text, a.code.empty() ? "AUTH" : a.code));
    if (++auth_failures_ >= config_.max_auth_failures) close(err("Too many failed logins"));
    return;
  }
  state_ = State::transaction;
  account_ = a.account;
  send(ok("Logged in"));
}

}  // namespace appliance::pop3
