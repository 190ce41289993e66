// NAME
//   transaction.h - one message to one host: the client's side of an SMTP
//   transaction, on a session that may carry several.
//
// DESCRIPTION
//   open_session() speaks on a connected SmtpClient: the greeting, EHLO
//   (HELO if EHLO is refused), STARTTLS whenever the server offers it (then
//   EHLO again) as the host's TLS policy says (tls_policy.h: required or
//   not, the certificate checked or not, a failed check fatal or not); a
//   failure there is the host's: the caller tries the next one.
//   send_message() then runs one transaction: MAIL (with BODY=8BITMIME
//   and SIZE when offered), one RCPT per recipient (with the DSN options of
//   the submission, RFC 3461, when the server offers DSN), DATA with the body
//   dot-stuffed and its line ends CRLF (proto/common/dot_stuffing.h). Each
//   recipient ends delivered, to retry (4xx, a broken connection) or bounced
//   (5xx). The session stays open: reset() (RSET) readies it for another
//   message (connections.h), quit() ends it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "deliverd/smtp_client.h"
#include "deliverd/tls_policy.h"
#include "store/queue.h"

namespace appliance::deliverd {

enum class Outcome { delivered, retry, bounce };

// How a host_reply begins when the host's TLS policy refused the connection.
inline constexpr std::string_view kRefusedPrefix = "TLS policy ";

struct RecipientOutcome {
  std::string address;
  Outcome outcome = Outcome::retry;
  std::string reply;   // the server's reply, one line, or why there was none
  std::string status;  // enhanced status: "5.1.1"
};

// The submission's DSN options (RFC 3461), passed on to a server that offers DSN.
struct DsnOptions {
  std::string ret, envid;                                 // of MAIL; "" when not given
  std::map<std::string, store::RecipientDsn> recipients;  // NOTIFY and ORCPT, by address
};

struct Transaction {
  std::string helo;         // our host name
  std::string server_name;  // for SNI: the MX host name, or DANE's TLSA base domain
  std::string sender;
  std::vector<std::string> recipients;
  std::uint64_t size = 0;  // of the message, for SIZE
  // Streams the message to the sink given.
  std::function<Result<void>(const std::function<Result<void>(std::string_view)>&)> body;
  HostTls tls;  // the host's TLS policy
  DsnOptions dsn;
};

struct TransactionResult {
  std::vector<RecipientOutcome> recipients;
  std::string tls_version;  // "" for plain text
  std::string tls_cipher;
  std::string tls_failure;  // a failed certificate check the policy let pass (mta-sts testing)
  bool dsn = false;         // the server offered DSN and was given the options
  bool usable = false;      // every reply came: the session may take another message
};

// An SMTP session ready for MAIL.
struct Session {
  std::unique_ptr<SmtpClient> client;
  smtp::ServerReply ehlo;  // the EHLO (or HELO) reply in force: after STARTTLS when it ran
  unsigned messages = 0;   // transactions begun on it
};

Result<Session> open_session(std::unique_ptr<SmtpClient> client, const Transaction& t);
TransactionResult send_message(Session& session, const Transaction& t);
// RSET: true when the server answered 250 and the session can take another message.
bool reset(Session& session);
void quit(Session& session);

}  // namespace appliance::deliverd
