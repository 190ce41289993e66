// NAME
//   pop3d - the POP3 daemon: "pop3" (110, STLS) and "pop3s" (995, TLS).
//
// SYNOPSIS
//   pop3d --config FILE
//
// SECURITY
//   Trusts: its configuration (root's), keyd (TLS signatures, the store's
//   data keys) and the store. Reads: POP3 commands from anyone on the
//   network, parsed by the pure proto/pop3 session (line, buffer, error and
//   failed-login limits; USER, PASS and AUTH only under TLS; no APOP). Runs
//   as appliance-pop3d and holds nothing secret: TLS private keys stay in
//   keyd, which signs each handshake; passwords go to the account service
//   as Secrets and are never logged. A client reaches only the INBOX of the
//   account it logged in as; network input never reaches a shell, a file
//   name or SQL text.
#include "pop3d/pop3d.h"

int main(int argc, char** argv) {
  appliance::pop3d::Pop3dService service;
  return appliance::run_daemon("pop3d", "appliance-pop3d", service, argc, argv);
}
