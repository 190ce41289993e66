// NAME
//   smtpd - the SMTP daemon: MX on "smtp", submission on "submission" and
//   "submissions".
//
// SYNOPSIS
//   smtpd --config FILE
//
// SECURITY
//   Trusts: its configuration (root's), keyd (TLS signatures, the store's
//   data keys), the store, and the verdicts of the rspamd it is configured
//   with (whose replies are still parsed strictly). Reads: SMTP from anyone on the network, parsed
//   by the pure proto/smtp session (line, command, recipient and size limits;
//   bare CR and LF refused in bodies; AUTH only under TLS). Runs as
//   appliance-smtpd and holds nothing secret: TLS private keys stay in keyd,
//   which signs each handshake; passwords are checked by the account
//   service and never logged. Network input never reaches a shell, a file
//   name or SQL text.
#include "smtpd/smtpd.h"

int main(int argc, char** argv) {
  appliance::smtpd::SmtpdService service;
  return appliance::run_daemon("smtpd", "appliance-smtpd", service, argc, argv);
}
