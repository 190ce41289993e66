// NAME
//   session_auth.cpp - STARTTLS, LOGIN, AUTHENTICATE PLAIN and their answers.
#include "proto/common/sasl.h"
#include "proto/imap/session.h"

namespace appliance::imap {

void Session::handle(const std::string& tag, const Starttls&) {
  if (tls_) return refuse(tag, "TLS already active");
  respond(tag, Cond::ok, "", "Begin TLS negotiation now");
  // RFC 9051 6.2.1: nothing the client sent before the handshake is read after it.
  reader_.clear();
  queue_.clear();
  pending_ = Pending::tls;
  events_.emplace_back(std::in_place_type<event::StartTls>);
}

void Session::answer_tls(const Answer& a) {
  if (a.cond != Cond::ok) {
    // The stream is neither plaintext nor TLS now: no response can be sent.
    events_.emplace_back(std::in_place_type<event::Close>);
    closed_ = true;
    return;
  }
  tls_ = true;
}

bool Session::refuse_plaintext_login(const std::string& tag) {
  if (tls_ || !config_.login_needs_tls) return false;
  respond(tag, Cond::no, "PRIVACYREQUIRED", "Login only over TLS; use STARTTLS first");
  return true;
}

void Session::handle(const std::string& tag, const Login& c) {
  if (refuse_plaintext_login(tag)) return;
  tag_ = tag;
  pending_ = Pending::login;
  events_.push_back(event::Login{tag, "LOGIN", "", c.user, c.password});
}

void Session::handle(const std::string& tag, const Authenticate& c) {
  if (refuse_plaintext_login(tag)) return;
  if (c.mechanism != "PLAIN")
    return respond(tag, Cond::no, "CANNOT", "Unsupported authentication mechanism");
  tag_ = tag;
  if (c.initial) return sasl_plain(*c.initial);
  mode_ = Mode::sasl;
  send("+ \r\n");
}

void Session::on_sasl_line(std::string_view line) {
  mode_ = Mode::command;
  if (line == "*") return refuse(tag_, "Authentication cancelled");  // RFC 9051 6.2.2
  sasl_plain(line);
}

void Session::sasl_plain(std::string_view response) {
  auto plain = sasl::decode_plain(response);
  if (!plain) return refuse(tag_, "Invalid PLAIN response");
  pending_ = Pending::login;
  events_.push_back(event::Login{tag_, "PLAIN", std::move(plain->authzid),
                                 std::move(plain->authcid), std::move(plain->password)});
}

void Session::answer_login(const Answer& a) {
  if (a.cond != Cond::ok) {
    respond(tag_, Cond::no, a.code.empty() ? "AUTHENTICATIONFAILED" : a.code,
            a.text.empty() ? "Authentication failed" : a.text);
    if (++auth_failures_ >= config_.max_auth_failures) close("Too many failed logins");
    return;
  }
  state_ = State::authenticated;
  account_ = a.account;
  send(a.untagged);
  // The capabilities change with the login (RFC 9051 6.2.3): send them now.
  respond(tag_, Cond::ok, a.code.empty() ? code::capability(capabilities()) : a.code, "Logged in");
}

}  // namespace appliance::imap
