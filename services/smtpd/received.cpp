// NAME
//   received.cpp - the Received trace header.
#include "smtpd/received.h"

#include <fmt/format.h>

#include "common/mail_time.h"

namespace appliance::smtpd {

namespace {

// RFC 5321 4.1.3: an IPv6 address literal is tagged.
std::string address_literal(const std::string& address) {
  if (address.find(':') != std::string::npos) return "[IPv6:" + address + "]";
  return "[" + address + "]";
}

}  // namespace

std::string trace_protocol(const Trace& t) {
  if (!t.extended) return "SMTP";
  std::string p = "ESMTP";
  if (t.tls) p += "S";
  if (t.authenticated) p += "A";
  return p;
}

std::string received_header(const Trace& t) {
  std::string h = fmt::format("Received: from {} ({})\r\n", t.helo, address_literal(t.address));
  if (t.tls && !t.tls_version.empty())
    h += fmt::format("\t(using {} with cipher {})\r\n", t.tls_version, t.tls_cipher);
  h += fmt::format("\tby {} with {} id {}", t.hostname, trace_protocol(t), t.id);
  if (!t.recipient.empty()) h += fmt::format("\r\n\tfor <{}>", t.recipient);
  h += fmt::format(";\r\n\t{}\r\n", rfc5322_date(t.when));
  return h;
}

}  // namespace appliance::smtpd
