// NAME
//   session.h - the POP3 server dialogue as a state machine without sockets.
//
// DESCRIPTION
//   pop3d passes every read to receive() and, after each call, sends what
//   take_events() returns, in order: reply text, "start TLS", "close", and
//   requests: a login to check, or a maildrop command (STAT, LIST, RETR,
//   DELE, RSET, TOP, UIDL, NOOP, and QUIT in the TRANSACTION state, which
//   asks pop3d to remove the messages marked as deleted: the UPDATE state).
//   Each is answered with answer(); the session sends "+OK"/"-ERR" and, for
//   multi-line replies, the dot-stuffed data. Until then no further command
//   is read; pipelined commands (RFC 2449 6.6) wait in the buffer. A large
//   multi-line reply may instead come in pieces: stream_begin(), stream()
//   for each piece (dot-stuffed across the cuts), stream_end().
//
// SECURITY
//   All input is untrusted. Rules kept here (docs/pop3.md):
//   - USER/PASS and AUTH are refused before TLS when login_needs_tls; APOP
//     is refused always (it needs the password in clear on the server);
//   - after STLS, input already buffered is discarded;
//   - the password travels as a Secret;
//   - limits on line length, buffered input, errors and failed logins.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "proto/pop3/command.h"
#include "proto/pop3/response.h"

namespace appliance::pop3 {

enum class State { authorization, transaction, update };

struct SessionConfig {
  std::string hostname = "localhost";
  bool tls_available = true;    // a certificate is there: offer STLS
  bool implicit_tls = false;    // port 995
  bool login_needs_tls = true;  // USER/PASS and AUTH only over TLS
  int max_errors = 10;          // consecutive -ERR for bad commands, then close
  int max_auth_failures = 3;
  std::size_t max_buffered = 64u << 10;  // unread pipelined input
};

namespace event {
struct Send {
  std::string text;
};
struct StartTls {};
struct Close {};
struct Login {
  std::string mechanism;  // "USER" for USER/PASS
  std::string authzid;
  std::string user;
  Secret password;
};
struct Request {
  Command command;  // STAT LIST RETR DELE NOOP RSET TOP UIDL QUIT
};
}  // namespace event

using Event =
    std::variant<event::Send, event::StartTls, event::Close, event::Login, event::Request>;

struct Answer {
  bool ok = true;
  std::string text;                 // after "+OK " or "-ERR "
  std::optional<std::string> data;  // multi-line reply data, not yet dot-stuffed
  std::string code;                 // -ERR response code: IN-USE, SYS/TEMP, AUTH ...
  std::string account;              // Login: the account that logged in

  static Answer accept(std::string text = {}, std::optional<std::string> data = {}) {
    return {true, std::move(text), std::move(data), {}, {}};
  }
  static Answer refuse(std::string text, std::string code = {}) {
    return {false, std::move(text), std::nullopt, std::move(code), {}};
  }
};

class Session {
 public:
  explicit Session(SessionConfig config);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void greet();
  void receive(std::string_view bytes);
  void answer(Answer answer);
  // The pending request's multi-line answer in pieces: "+OK text" now.
  void stream_begin(std::string_view text);
  void stream(std::string_view piece);
  void stream_end();
  void shut_down(std::string_view why);
  std::vector<Event> take_events() { return std::exchange(events_, {}); }

  State state() const { return state_; }
  bool waiting() const { return pending_ != Pending::none; }
  bool closed() const { return closed_; }
  bool tls() const { return tls_; }
  const std::optional<std::string>& account() const { return account_; }

 private:
  enum class Pending { none, tls, login, request };

  // session.cpp: lines, replies, errors, the transaction commands
  void run();
  std::optional<std::string> next_line();
  void on_line(std::string_view line);
  void execute(Command c);
  bool allowed(const Command& c) const;
  void send(std::string text);
  void refuse(std::string_view text, std::string_view code = {});
  void close(std::string_view reply);
  void capa();
  void answer_request(const Answer& a);

  // session_auth.cpp: STLS, USER/PASS, AUTH
  void stls();
  bool plaintext_refused();
  void user(const User& c);
  void pass(const Pass& c);
  void auth(const Auth& c);
  void sasl_plain(std::string_view response);
  void answer_tls(const Answer& a);
  void answer_login(const Answer& a);

  SessionConfig config_;
  std::vector<Event> events_;
  std::string in_;
  State state_ = State::authorization;
  Pending pending_ = Pending::none;
  std::optional<Command> request_;  // the pending maildrop command
  std::optional<Multiline> streaming_;
  bool greeted_ = false;
  bool closed_ = false;
  bool tls_ = false;
  bool sasl_ = false;      // the next line is a SASL response
  bool skipping_ = false;  // after a line too long, until its LF
  int errors_ = 0;
  int auth_failures_ = 0;
  std::optional<std::string> user_;  // after USER, for PASS
  std::optional<std::string> account_;
};

}  // namespace appliance::pop3
