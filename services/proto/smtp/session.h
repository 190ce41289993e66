// NAME
//   session.h - the SMTP server dialogue as a state machine without sockets.
//
// DESCRIPTION
//   smtpd feeds the bytes it reads to receive() and sends what the session
//   asks for. take_events() returns, in order: replies to send, and events for
//   the server layer: start TLS, check a sender or a recipient, authenticate
//   credentials, message body pieces, message complete or aborted, close.
//   Questions (sender, recipient, credentials, "is the message stored?", "is
//   TLS up?") are answered later with answer(); until then the session reads
//   no further command, so pipelined commands wait their turn (RFC 2920), and
//   smtpd can do the lookup or the store commit asynchronously.
//
// SECURITY
//   All input is untrusted. Rules kept here (docs/smtp.md):
//   - input before greet() is a protocol violation: 554, close; so is input
//     sent ahead of a reply the client must wait for (RFC 2920 3.1);
//   - after STARTTLS, input already buffered is discarded, and nothing of the
//     plaintext session (EHLO, AUTH, envelope) survives into TLS;
//   - AUTH only over TLS and only in submission mode; submission needs AUTH
//     before MAIL; the password travels as a Secret;
//   - bodies with bare CR or LF are refused but read to the real end;
//   - limits on line length, recipients, errors, size and buffered input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "proto/smtp/auth.h"
#include "proto/smtp/body.h"
#include "proto/smtp/command.h"

namespace appliance::smtp {

enum class Mode { mx, submission };

struct SessionConfig {
  Mode mode = Mode::mx;
  std::string hostname = "localhost";
  std::uint64_t max_message_size = 50u << 20;
  std::size_t max_body_line = 1000;  // octets with CRLF (RFC 5321 4.5.3.1.6)
  std::size_t max_recipients = 100;
  int max_errors = 20;                  // then 421 and close
  std::size_t max_buffered = 1u << 20;  // unread pipelined input
  bool tls_available = true;            // a certificate is there: offer STARTTLS
  bool implicit_tls = false;            // port 465: TLS before the greeting
};

namespace event {
struct Send {
  std::string text;  // one or more reply lines, CRLF-terminated
};
struct StartTls {};  // after the 220 is sent: handshake, then answer()
struct Close {};     // after sending what came before
struct CheckSender {
  Mailbox sender;
  MailParams params;
  std::string account;  // the authenticated account, or empty
};
struct CheckRecipient {
  Mailbox recipient;
  RcptParams params;
};
struct Authenticate {
  Credentials credentials;
};
struct MessageBegin {};
struct MessageData {
  std::string bytes;
};
struct MessageEnd {
  std::uint64_t size = 0;
};
struct MessageAbort {
  std::string reason;
};
}  // namespace event

using Event = std::variant<event::Send, event::StartTls, event::Close, event::CheckSender,
                           event::CheckRecipient, event::Authenticate, event::MessageBegin,
                           event::MessageData, event::MessageEnd, event::MessageAbort>;

// The server layer's answer to the pending question.
struct Verdict {
  bool accepted = true;
  std::string detail;  // Authenticate: the account; MessageEnd: the queue id
  Reply refusal;       // empty: the usual refusal for the question

  static Verdict accept(std::string detail = {}) { return {true, std::move(detail), {}}; }
  static Verdict refuse(Reply refusal = {}) { return {false, {}, std::move(refusal)}; }
};

class Session {
 public:
  explicit Session(SessionConfig config);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void greet();
  void receive(std::string_view bytes);
  void answer(Verdict verdict);
  // 421 and close, e.g. on shutdown or an idle timeout.
  void shut_down(std::string_view why);
  std::vector<Event> take_events() { return std::exchange(events_, {}); }

  bool waiting() const { return pending_ != Pending::none; }
  bool closed() const { return closed_; }
  bool tls() const { return tls_; }
  const std::optional<std::string>& account() const { return account_; }
  // The client's EHLO or HELO, once given (forgotten again at STARTTLS).
  const std::optional<Ehlo>& client_hello() const { return helo_; }

 private:
  enum class Pending { none, sender, recipient, auth, message, tls };
  enum class Input { command, data, chunk, skip_chunk, sasl_plain, sasl_user, sasl_password };

  // session.cpp: input, lines, replies, the simple commands
  void run();
  std::optional<std::string_view> next_line();
  std::size_t line_limit(std::string_view start) const;
  void on_line(std::string_view line);
  bool must_wait(const Command& c) const;
  static Reply out_of_step();
  void send(const Reply& reply);
  void refuse(const Reply& reply);
  void close(const Reply& reply);
  void handle(const Ehlo& c);
  void handle(const Rset&);
  void handle(const Noop&);
  void handle(const Quit&);
  void handle(const Vrfy&);
  void handle(const Help&);
  std::optional<Reply> need_helo(bool extended) const;

  // session_mail.cpp: the transaction
  void handle(const Mail& c);
  void handle(const Rcpt& c);
  void handle(const Data&);
  void handle(const Bdat& c);
  std::optional<Reply> body_refusal() const;
  void begin_message();
  void feed_body();
  void finish_chunk();
  void finish_message(std::optional<Reply> refusal, std::uint64_t size);
  void reset_transaction(std::string_view why = "transaction reset");
  void answer_sender(const Verdict& v);
  void answer_recipient(const Verdict& v);
  void answer_message(const Verdict& v);

  // session_auth.cpp: STARTTLS and AUTH
  void handle(const Starttls&);
  void handle(const Auth& c);
  void on_sasl_line(std::string_view line);
  void sasl_step(Input state, std::string_view response);
  void authenticate(Credentials credentials);
  void answer_auth(const Verdict& v);
  void answer_tls(const Verdict& v);

  SessionConfig config_;
  std::vector<Event> events_;
  std::string in_;
  std::size_t pos_ = 0;
  std::size_t no_lf_before_ = 0;  // in_ holds no LF between pos_ and this
  Input input_ = Input::command;
  Pending pending_ = Pending::none;
  bool greeted_ = false;
  bool closed_ = false;
  bool skipping_line_ = false;  // after a line too long, until its LF
  int errors_ = 0;

  std::optional<Ehlo> helo_;
  bool tls_ = false;
  std::optional<std::string> account_;
  std::string login_user_;  // LOGIN: the name, while the password is asked

  // The transaction.
  std::optional<Mail> mail_;  // once the sender is accepted
  std::optional<Mail> proposed_mail_;
  std::size_t recipients_ = 0;
  bool message_open_ = false;
  bool bdat_used_ = false;
  std::optional<DataReader> data_;
  std::optional<ChunkReader> chunk_;
  std::uint64_t skip_left_ = 0;  // a refused BDAT chunk, still to be read
  Reply skip_reply_;
};

}  // namespace appliance::smtp
