// NAME
//   deliverd - the outbound delivery daemon: the queue to other domains.
//
// SYNOPSIS
//   deliverd --config FILE
//
// SECURITY
//   Trusts: its configuration (root's), keyd (the store's data keys, to
//   unseal queued messages and seal bounces) and the store. Reads: DNS
//   answers (through c-ares; TLSA answers by a fuzzed parser) and the replies
//   of remote SMTP servers (proto/smtp's client reply reader, with line and
//   reply limits), both untrusted. Runs as appliance-deliverd, listens on no
//   port and holds nothing secret. Outbound TLS is opportunistic: used
//   whenever offered, certificates not checked until MTA-STS and DANE
//   policies exist; plain text only when no STARTTLS is offered. Remote
//   input never reaches a shell, a file name or SQL text; remote replies
//   reach the queue and bounces as data, on one line, control bytes removed.
#include "deliverd/deliverd.h"

int main(int argc, char** argv) {
  appliance::deliverd::DeliverdService service;
  return appliance::run_daemon("deliverd", "appliance-deliverd", service, argc, argv);
}
