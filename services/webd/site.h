// NAME
//   site.h - what webd answers: a pure function from request to response.
//
// DESCRIPTION
//   handle_request() routes a request read on the TLS listener: client
//   set-up (autoconfig.h), /healthz, the REST API under /api/ (api.h), and
//   the page at / that lists the servers and ports a mail client needs;
//   anything else is a JSON 404.
//   handle_plain() is the plain-HTTP listener: it serves client set-up (mail
//   clients fetch it over http:// too, and it is public) and redirects
//   everything else to https.
//
//   Every response leaves through secure_headers(): a strict
//   Content-Security-Policy (scripts and styles from the appliance only, no
//   inline code, no framing), nosniff, no referrer, no powerful features,
//   no caching; HSTS on TLS.
//
// SECURITY
//   The request is untrusted. The Host header is used for a redirect only
//   when it is a plain host name (letters, digits, dots, hyphens, a port);
//   otherwise the appliance's own name is used. Nothing from the request is
//   put in a page without escaping.
#pragma once

#include <string>

#include "webd/autoconfig.h"

namespace appliance::webd {

struct WebParts;

struct Site {
  MailSettings mail;
  int https_port = 443;     // where the plain listener redirects to
  WebParts* api = nullptr;  // /api/v1 (api.h); null: not served
};

HttpResponse handle_request(const HttpRequest& request, const Site& site);
HttpResponse handle_plain(const HttpRequest& request, const Site& site);
void secure_headers(HttpResponse& response, bool tls);

}  // namespace appliance::webd
