// NAME
//   dsn.h - the bounce: a delivery status notification (RFC 3464).
//
// DESCRIPTION
//   build_dsn() writes the message deliverd puts into the sender's INBOX
//   when recipients fail for good (Action: failed), or, once per message,
//   when they are still being retried after a while (a delay notice:
//   Action: delayed, Will-Retry-Until), or when a recipient that asked for
//   NOTIFY=SUCCESS was handed to a host that does not speak DSN (Action:
//   relayed); and the one smtpd queues for the sender of mail that arrived
//   on the MX port when a recipient that asked for NOTIFY=SUCCESS has it in
//   a mailbox here (Action: delivered, no Diagnostic-Code): multipart/report
//   with report-type=delivery-status (RFC 6522): a human part, the message/delivery-status part (per-message and
//   per-recipient fields, with Original-Envelope-Id and Original-Recipient
//   when the submission gave ENVID and ORCPT), and the original message:
//   its headers (text/rfc822-headers), or the whole of it (message/rfc822)
//   for a failure whose submission asked RET=FULL. Pure.
//   No DSN is made for a null sender (RFC 5321 6.1, no loops).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace appliance::dsn {

enum class Action { failed, delayed, relayed, delivered };

struct FailedRecipient {
  std::string address;
  std::string status;      // enhanced status, "5.1.1"
  std::string diagnostic;  // the remote reply, or why there was none
  std::string remote;      // the host that answered, or empty
  std::string tls;         // the TLS policy and version of the last attempt, or empty
  std::string orcpt;       // ORCPT of the submission, "rfc822;bob@b.test", or empty
};

struct Bounce {
  std::string reporting_mta;  // our host name
  std::string sender;
  std::string queue_id;
  std::int64_t arrival = 0, now = 0;
  std::vector<FailedRecipient> recipients;
  std::string original_headers;    // up to the blank line, CRLF line ends
  std::int64_t retry_until = 0;    // non-zero: a delay notice, tried until then
  Action action = Action::failed;  // delayed whenever retry_until is set
  std::string envid;               // ENVID of the submission, or empty
  std::string original_message;    // non-empty: returned whole instead of the headers
};

std::string build_dsn(const Bounce& b);

// Whether a recipient's NOTIFY ("" when not given) asks for a notice of this
// kind: without NOTIFY, failures and delays are reported and successes not
// (RFC 3461 4.1); NEVER asks for none.
bool notify_wants(std::string_view notify, Action action);

// The header section of a message (up to and without the blank line), at most `limit` bytes.
std::string header_section(std::string_view message, std::size_t limit = 64 * 1024);

// "5.1.1" from a reply's enhanced code, else the class of its code ("5.0.0").
std::string status_of(std::string_view enhanced, int code);

}  // namespace appliance::dsn
