// NAME
//   transaction.h - one message to one host: the client's side of an SMTP
//   transaction.
//
// DESCRIPTION
//   run_transaction() speaks on a connected SmtpClient: the greeting, EHLO
//   (HELO if EHLO is refused), STARTTLS whenever the server offers it (then
//   EHLO again), MAIL, one RCPT per recipient, DATA with the body
//   dot-stuffed and its line ends CRLF (proto/common/dot_stuffing.h), QUIT.
//   Each recipient ends delivered, to retry (4xx, a broken connection) or
//   bounced (5xx). A failure before MAIL (greeting, EHLO, TLS) is the
//   host's: the caller tries the next one.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "deliverd/smtp_client.h"

namespace appliance::deliverd {

enum class Outcome { delivered, retry, bounce };

struct RecipientOutcome {
  std::string address;
  Outcome outcome = Outcome::retry;
  std::string reply;   // the server's reply, one line, or why there was none
  std::string status;  // enhanced status: "5.1.1"
};

struct Transaction {
  std::string helo;         // our host name
  std::string server_name;  // for SNI: the MX host name
  std::string sender;
  std::vector<std::string> recipients;
  // Streams the message to the sink given.
  std::function<Result<void>(const std::function<Result<void>(std::string_view)>&)> body;
};

struct TransactionResult {
  bool host_failed = false;  // before MAIL: try another host
  std::string host_reply;    // why, when it failed
  std::vector<RecipientOutcome> recipients;
  std::string tls_version;  // "" for plain text
};

TransactionResult run_transaction(SmtpClient& client, const Transaction& t);

}  // namespace appliance::deliverd
