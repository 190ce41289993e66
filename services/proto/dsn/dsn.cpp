// NAME
//   dsn.cpp - multipart/report; report-type=delivery-status.
#include "proto/dsn/dsn.h"

#include <fmt/format.h>

#include <ctime>

#include "common/mail_time.h"
#include "proto/smtp/command.h"
#include "proto/smtp/syntax.h"

namespace appliance::dsn {
namespace {

const char* action_name(Action a) {
  switch (a) {
    case Action::failed:
      return "failed";
    case Action::delayed:
      return "delayed";
    case Action::relayed:
      return "relayed";
    case Action::delivered:
      return "delivered";
  }
  return "failed";
}

const char* subject_of(Action a) {
  switch (a) {
    case Action::failed:
      return "Undelivered Mail Returned to Sender";
    case Action::delayed:
      return "Delayed Mail (still being retried)";
    case Action::relayed:
      return "Successful Mail Relay";
    case Action::delivered:
      return "Successful Mail Delivery Report";
  }
  return "";
}

// A diagnostic is remote text: keep it on one line of printable ASCII.
std::string clean(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 900)) out += (c >= 0x20 && c < 0x7f) ? c : ' ';
  return out;
}

std::string human_part(const Bounce& b) {
  std::string out = fmt::format("This is the mail system at {}.\r\n\r\n", b.reporting_mta);
  if (b.action == Action::delivered)
    out += "Your message was delivered to the mailboxes of the recipients below.\r\n\r\n";
  else if (b.action == Action::relayed)
    out +=
        "Your message was handed on to the next mail server for the recipients below.\r\n"
        "That server does not report delivery, so this is the last notice you will get\r\n"
        "from here.\r\n\r\n";
  else if (b.action == Action::delayed)
    out += fmt::format(
        "Your message has not been delivered yet to one or more recipients.\r\n"
        "It is still being tried, until {}; you need not send it again.\r\n"
        "You will be told if it cannot be delivered.\r\n\r\n",
        rfc5322_date(b.retry_until));
  else
    out +=
        "Your message could not be delivered to one or more recipients.\r\n"
        "It will not be tried again.\r\n\r\n";
  for (const auto& r : b.recipients) {
    out += fmt::format("<{}>: {}\r\n", r.address, r.diagnostic);
    if (!r.tls.empty()) out += fmt::format("  TLS policy: {}\r\n", r.tls);
  }
  return out;
}

std::string status_part(const Bounce& b) {
  std::string out = fmt::format("Reporting-MTA: dns; {}\r\n", b.reporting_mta);
  if (!b.envid.empty())
    out += fmt::format("Original-Envelope-Id: {}\r\n", smtp::encode_xtext(b.envid));
  out += fmt::format("X-Queue-ID: {}\r\nArrival-Date: {}\r\n", b.queue_id, rfc5322_date(b.arrival));
  for (const auto& r : b.recipients) {
    out += "\r\n";
    if (auto semi = r.orcpt.find(';'); semi != std::string::npos)
      out += fmt::format("Original-Recipient: {};{}\r\n", clean(r.orcpt.substr(0, semi)),
                         smtp::encode_xtext(r.orcpt.substr(semi + 1)));
    out += fmt::format("Final-Recipient: rfc822; {}\r\nAction: {}\r\nStatus: {}\r\n", r.address,
                       action_name(b.action), r.status);
    if (!r.remote.empty()) out += fmt::format("Remote-MTA: dns; {}\r\n", r.remote);
    // Stored here: no SMTP reply to quote (RFC 3464 2.3.6 lets it be left out).
    if (b.action != Action::delivered)
      out += fmt::format("Diagnostic-Code: smtp; {}\r\n", r.diagnostic);
    out += fmt::format("Last-Attempt-Date: {}\r\n", rfc5322_date(b.now));
    if (b.action == Action::delayed)
      out += fmt::format("Will-Retry-Until: {}\r\n", rfc5322_date(b.retry_until));
  }
  return out;
}

}  // namespace

bool notify_wants(std::string_view notify, Action action) {
  if (notify.empty()) return action == Action::failed || action == Action::delayed;
  auto bits = smtp::parse_notify(notify).value_or(0);
  unsigned wanted = action == Action::failed    ? smtp::notify_failure
                    : action == Action::delayed ? smtp::notify_delay
                                                : smtp::notify_success;
  return (bits & wanted) != 0;
}

std::string status_of(std::string_view enhanced, int code) {
  if (!enhanced.empty()) return std::string(enhanced);
  return fmt::format("{}.0.0", code >= 500 ? 5 : code >= 400 ? 4 : 5);
}

std::string header_section(std::string_view message, std::size_t limit) {
  auto end = message.find("\r\n\r\n");
  std::string_view head = message.substr(0, end == std::string_view::npos ? message.size() : end);
  if (head.size() > limit) {
    head = head.substr(0, limit);
    head = head.substr(0, head.rfind("\r\n"));
  }
  return std::string(head);
}

std::string build_dsn(const Bounce& in) {
  Bounce b = in;
  if (b.retry_until) b.action = Action::delayed;
  for (auto& r : b.recipients) r.diagnostic = clean(r.diagnostic), r.tls = clean(r.tls);
  std::string boundary = fmt::format("{}/{}", b.queue_id, b.now);
  while (b.original_message.find("--" + boundary) != std::string::npos) boundary += "=";
  std::string out = fmt::format(
      "From: Mail Delivery System <MAILER-DAEMON@{0}>\r\n"
      "To: <{1}>\r\n"
      "Subject: {6}\r\n"
      "Date: {2}\r\n"
      "Message-ID: <{3}.{4}@{0}>\r\n"
      "Auto-Submitted: auto-replied\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: multipart/report; report-type=delivery-status;\r\n"
      "\tboundary=\"{5}\"\r\n"
      "\r\n"
      "This is a MIME-encapsulated message.\r\n\r\n",
      b.reporting_mta, b.sender, rfc5322_date(b.now), b.queue_id, b.now, boundary,
      subject_of(b.action));
  out += fmt::format("--{}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n{}\r\n", boundary,
                     human_part(b));
  out += fmt::format("--{}\r\nContent-Type: message/delivery-status\r\n\r\n{}\r\n", boundary,
                     status_part(b));
  if (!b.original_message.empty())
    out += fmt::format("--{}\r\nContent-Type: message/rfc822\r\n\r\n{}{}\r\n--{}--\r\n", boundary,
                       b.original_message, b.original_message.ends_with("\r\n") ? "" : "\r\n",
                       boundary);
  else
    out += fmt::format("--{}\r\nContent-Type: text/rfc822-headers\r\n\r\n{}\r\n\r\n--{}--\r\n",
                       boundary, b.original_headers, boundary);
  return out;
}

}  // namespace appliance::dsn
