// NAME
//   received.h - the Received trace header smtpd prepends to every message.
//
// DESCRIPTION
//   RFC 5321 4.4 and RFC 5322 3.6.7: from the client's EHLO name and
//   address, by our hostname, with the protocol (RFC 3848: SMTP, ESMTP,
//   ESMTPS, ESMTPA, ESMTPSA), the TLS version and cipher as a comment, the
//   queue id, the recipient when there is exactly one (naming several would
//   tell each recipient who else got the message), and the date. Pure.
#pragma once

#include <ctime>
#include <string>

namespace appliance::smtpd {

struct Trace {
  std::string helo;      // the client's EHLO/HELO argument (checked by the parser)
  bool extended = true;  // EHLO, not HELO
  std::string address;   // the client's IP address
  std::string hostname;  // ours
  bool tls = false;
  std::string tls_version, tls_cipher;
  bool authenticated = false;
  std::string id;         // the queue id
  std::string recipient;  // empty unless the message has exactly one recipient
  std::time_t when = 0;
};

// "with" protocol name (RFC 3848).
std::string trace_protocol(const Trace& t);
// The whole header field, folded, ending with CRLF.
std::string received_header(const Trace& t);

}  // namespace appliance::smtpd
