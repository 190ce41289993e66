// NAME
//   webd - the web daemon: "web" (443, HTTPS) and "http" (80).
//
// SYNOPSIS
//   webd --config FILE
//
// SECURITY
//   Trusts: its configuration (root's), keyd (TLS signatures, the store's
//   data keys) and the store. Reads: HTTP requests from anyone on the
//   network, parsed with limits where they are read (16 KiB of headers,
//   1 MiB of body, an idle timeout) and answered by pure handlers; client
//   set-up XML is built with every request-derived value escaped. Runs as
//   appliance-webd and holds nothing secret: the TLS private key stays in
//   keyd, which signs each handshake. Every response carries a strict
//   Content-Security-Policy and, over TLS, HSTS.
#include "webd/webd.h"

int main(int argc, char** argv) {
  appliance::webd::WebdService service;
  return appliance::run_daemon("webd", "appliance-webd", service, argc, argv);
}
