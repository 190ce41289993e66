// NAME
//   imapd - the IMAP daemon: "imap" (143, STARTTLS) and "imaps" (993, TLS).
//
// SYNOPSIS
//   imapd --config FILE
//
// SECURITY
//   Trusts: its configuration (root's), keyd (TLS signatures, the store's
//   data keys) and the store. Reads: IMAP commands from anyone on the
//   network, parsed by the pure proto/imap session (line, literal, queue,
//   error and failed-login limits; LOGIN and AUTHENTICATE only under TLS),
//   and messages it is given by APPEND, summarised by the pure proto/mime.
//   Runs as appliance-imapd and holds nothing secret: TLS private keys stay
//   in keyd, which signs each handshake; passwords go to the account service
//   as Secrets and are never logged. A client reaches only the mailboxes of
//   the account it logged in as (every store call names it); network input
//   never reaches a shell, a file name or SQL text.
#include "imapd/imapd.h"

int main(int argc, char** argv) {
  appliance::imapd::ImapdService service;
  return appliance::run_daemon("imapd", "appliance-imapd", service, argc, argv);
}
