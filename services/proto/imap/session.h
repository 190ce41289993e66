// NAME
//   session.h - the IMAP server dialogue as a state machine without sockets.
//
// DESCRIPTION
//   imapd passes every read to receive() and, after each call, sends what
//   take_events() returns, in order: response text, "start TLS", "close", and
//   requests for the server layer (a login to check; a command that needs the
//   store: SELECT, FETCH, APPEND, ...). Each request is answered later with
//   answer(): untagged data first, then the tagged status. Until then the
//   session executes no further command; up to max_queued further commands
//   are read ahead (literal continuations are still sent), more is an abuse
//   that ends the connection. push() sends unsolicited updates (EXISTS,
//   EXPUNGE, FETCH) between commands and during IDLE.
//
//   The session answers by itself what needs no store: CAPABILITY, NOOP
//   before login, LOGOUT, STARTTLS, ENABLE, ID, NAMESPACE, IDLE/DONE, and
//   every refusal (syntax, state, limits).
//
// SECURITY
//   All input is untrusted. Rules kept here (docs/imap.md):
//   - LOGIN and AUTHENTICATE are refused before TLS ([PRIVACYREQUIRED]) when
//     login_needs_tls, and LOGINDISABLED is announced;
//   - after STARTTLS, input already buffered is discarded, and input that
//     arrives before the handshake's answer is ignored;
//   - the password travels as a Secret, never in a request for a command;
//   - limits on line length, literal size, queued commands, consecutive
//     errors and failed logins; then "* BYE" and close.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "proto/imap/command.h"
#include "proto/imap/input.h"
#include "proto/imap/response.h"

namespace appliance::imap {

enum class State { not_authenticated, authenticated, selected, logout };

struct SessionConfig {
  std::string hostname = "localhost";
  bool tls_available = true;    // a certificate is there: offer STARTTLS
  bool implicit_tls = false;    // port 993
  bool login_needs_tls = true;  // LOGIN/AUTHENTICATE only over TLS
  InputLimits limits;
  std::size_t max_queued = 16;  // commands read ahead while one is answered
  int max_errors = 10;          // consecutive BAD responses, then BYE
  int max_auth_failures = 3;    // failed logins, then BYE
  char delimiter = '/';         // hierarchy delimiter for NAMESPACE
  bool condstore = true;        // offer CONDSTORE (RFC 7162 3.1)
  bool qresync = true;          // and QRESYNC (RFC 7162 3.2), which needs CONDSTORE
  bool quota = true;            // offer QUOTA with the STORAGE resource (RFC 9208)
};

namespace event {
struct Send {
  std::string text;  // whole response lines, CRLF-terminated
};
struct StartTls {};  // after "OK Begin TLS": handshake, then answer(ok) or answer(no)
struct Close {};     // after sending what came before
struct Login {
  std::string tag;
  std::string mechanism;  // "LOGIN" for the LOGIN command
  std::string authzid;    // empty: act as `user`
  std::string user;
  Secret password;
};
struct Request {
  std::string tag;
  Command command;
};
struct IdleStart {
  std::string tag;
};
struct IdleDone {};
}  // namespace event

using Event = std::variant<event::Send, event::StartTls, event::Close, event::Login, event::Request,
                           event::IdleStart, event::IdleDone>;

// The server layer's answer to the pending request.
struct Answer {
  Cond cond = Cond::ok;
  std::string code;      // e.g. "READ-WRITE", "APPENDUID 38505 3955"; empty: the usual
  std::string text;      // empty: the usual text
  std::string untagged;  // whole lines to send before the tagged status
  std::string account;   // Login: the account that logged in

  static Answer ok(std::string untagged = {}, std::string code = {}) {
    return {Cond::ok, std::move(code), {}, std::move(untagged), {}};
  }
  static Answer no(std::string text = {}, std::string code = {}) {
    return {Cond::no, std::move(code), std::move(text), {}, {}};
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
  void push(std::string_view untagged);
  // "* BYE" and close, e.g. on shutdown or an idle timeout.
  void shut_down(std::string_view why);
  std::vector<Event> take_events() { return std::exchange(events_, {}); }

  State state() const { return state_; }
  bool waiting() const { return pending_ != Pending::none; }
  bool closed() const { return closed_; }
  bool tls() const { return tls_; }
  bool idling() const { return mode_ == Mode::idle; }
  bool utf8() const { return utf8_; }
  // CONDSTORE enabled, by ENABLE or by a command that uses it (RFC 7162 3.1).
  bool condstore() const { return condstore_; }
  bool qresync() const { return qresync_; }
  const std::optional<std::string>& account() const { return account_; }
  const Id& client_id() const { return client_id_; }
  std::vector<std::string> capabilities() const;
  // The largest message APPEND takes, announced as APPENDLIMIT (RFC 7889):
  // one literal, within a command that also has its line.
  std::uint64_t append_limit() const;

 private:
  enum class Pending { none, tls, login, request };
  enum class Mode { command, sasl, idle };
  enum class Transition { none, select, deselect };

  // session.cpp: input, queue, responses, errors
  void run();
  void read_ahead();
  std::optional<Input> next_input();
  void on_input(Input in);
  void continue_literal();
  void on_command(std::string_view text);
  void on_line(std::string_view line);
  void send(std::string text);
  void respond(std::string_view tag, Cond cond, std::string_view code, std::string_view text);
  void refuse(std::string_view tag, std::string_view text, std::string_view code = {});
  void close(std::string_view why);

  // session_commands.cpp: state rules and the commands answered here
  std::optional<std::string> not_allowed(const Command& c) const;
  std::optional<std::pair<std::string, std::string>> not_supported(const Command& c) const;
  void execute(Tagged t);
  void forward(Tagged t);
  void handle(const std::string& tag, const Capability&);
  void handle(const std::string& tag, const Logout&);
  void handle(const std::string& tag, const Enable& c);
  void handle(const std::string& tag, const Id& c);
  void handle(const std::string& tag, const Namespace&);
  void handle(const std::string& tag, const Idle&);
  void on_done(std::string_view line);

  // session_auth.cpp: STARTTLS, LOGIN, AUTHENTICATE and their answers
  void handle(const std::string& tag, const Starttls&);
  void handle(const std::string& tag, const Login& c);
  void handle(const std::string& tag, const Authenticate& c);
  bool refuse_plaintext_login(const std::string& tag);
  void on_sasl_line(std::string_view line);
  void sasl_plain(std::string_view response);
  void answer_tls(const Answer& a);
  void answer_login(const Answer& a);
  void answer_request(const Answer& a);

  SessionConfig config_;
  CommandReader reader_;
  std::deque<std::string> queue_;  // commands read ahead
  std::vector<Event> events_;
  State state_ = State::not_authenticated;
  Pending pending_ = Pending::none;
  Mode mode_ = Mode::command;
  Transition transition_ = Transition::none;
  std::string tag_;  // of the pending request, SASL exchange or IDLE
  bool greeted_ = false;
  bool closed_ = false;
  bool tls_ = false;
  bool utf8_ = false, condstore_ = false, qresync_ = false;
  int errors_ = 0;
  int auth_failures_ = 0;
  std::optional<std::string> account_;
  Id client_id_;
};

}  // namespace appliance::imap
