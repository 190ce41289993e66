// NAME
//   session_auth.cpp - STARTTLS (RFC 3207) and AUTH PLAIN/LOGIN (RFC 4954).
#include "proto/smtp/session.h"

namespace appliance::smtp {

namespace {

// LOGIN's prompts, "Username:" and "Password:" in base64, as clients expect.
const Reply kAskUser{334, "", {"VXNlcm5hbWU6"}};
const Reply kAskPassword{334, "", {"UGFzc3dvcmQ6"}};

}  // namespace

void Session::handle(const Starttls&) {
  if (tls_) return refuse(make_reply(503, "5.5.1", "TLS already active"));
  if (!config_.tls_available) return refuse(make_reply(454, "4.7.0", "TLS not available"));
  if (auto r = need_helo(true)) return refuse(*r);
  if (mail_) return refuse(make_reply(503, "5.5.1", "Mail transaction in progress"));
  send(make_reply(220, "2.0.0", "Ready to start TLS"));
  events_.push_back(event::StartTls{});
  pending_ = Pending::tls;
  // Commands sent in plaintext behind STARTTLS are dropped (CVE-2011-0411).
  pos_ = in_.size();
}

void Session::answer_tls(const Verdict& v) {
  // A failed handshake leaves no channel to reply on.
  if (!v.accepted) return close(Reply{});
  // RFC 3207 4.2: forget all that was learnt from the client before TLS.
  tls_ = true;
  helo_.reset();
  account_.reset();
  reset_transaction();
}

void Session::handle(const Auth& c) {
  if (config_.mode != Mode::submission)
    return refuse(make_reply(503, "5.5.1", "Authentication not enabled"));
  if (!tls_) return refuse(make_reply(530, "5.7.0", "Must issue a STARTTLS command first"));
  if (auto r = need_helo(true)) return refuse(*r);
  if (account_) return refuse(make_reply(503, "5.5.1", "Already authenticated"));
  if (mail_) return refuse(make_reply(503, "5.5.1", "AUTH not allowed during a mail transaction"));
  if (!is_supported_mechanism(c.mechanism))
    return refuse(make_reply(504, "5.5.4", "Unrecognized authentication type"));
  Input state = c.mechanism == "PLAIN" ? Input::sasl_plain : Input::sasl_user;
  if (c.initial) return sasl_step(state, *c.initial);
  input_ = state;
  send(state == Input::sasl_plain ? Reply{334, "", {""}} : kAskUser);
}

void Session::on_sasl_line(std::string_view line) {
  Input state = std::exchange(input_, Input::command);
  if (line == "*") {
    login_user_.clear();
    return refuse(make_reply(501, "5.0.0", "Authentication cancelled"));
  }
  sasl_step(state, line);
}

void Session::sasl_step(Input state, std::string_view response) {
  if (state == Input::sasl_plain) {
    auto credentials = decode_plain(response);
    if (!credentials) return refuse(credentials.reply());
    return authenticate(std::move(*credentials));
  }
  auto field = decode_login_field(response);
  if (!field) return refuse(field.reply());
  if (state == Input::sasl_user) {
    login_user_ = field->reveal();
    input_ = Input::sasl_password;
    return send(kAskPassword);
  }
  authenticate(Credentials{"LOGIN", "", std::exchange(login_user_, {}), std::move(*field)});
}

void Session::authenticate(Credentials credentials) {
  events_.push_back(event::Authenticate{std::move(credentials)});
  pending_ = Pending::auth;
}

void Session::answer_auth(const Verdict& v) {
  if (!v.accepted) {
    Reply refusal = v.refusal.empty()
                        ? make_reply(535, "5.7.8", "Authentication credentials invalid")
                        : v.refusal;
    return refuse(refusal);
  }
  account_ = v.detail;
  send(make_reply(235, "2.7.0", "Authentication successful"));
}

}  // namespace appliance::smtp
