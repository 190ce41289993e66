// NAME
//   site.cpp - webd's routes and the headers on every response.
#include "webd/site.h"

#include <fmt/format.h>

#include <algorithm>

#include "webd/api.h"
#include "webd/http.h"
#include "webd/ui.h"

namespace appliance::webd {
namespace {

constexpr const char* kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

std::string path_of(const std::string& target) { return target.substr(0, target.find('?')); }

std::string port_line(std::string_view label, int port, std::string_view security) {
  if (port == 0) return {};
  return fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", label, port, security);
}

// The servers and ports for a mail client set up by hand.
HttpResponse settings_page(const Site& site) {
  const MailSettings& m = site.mail;
  std::string rows = port_line("IMAP", m.imaps, "TLS") + port_line("IMAP", m.imap, "STARTTLS") +
                     port_line("POP3", m.pop3s, "TLS") + port_line("POP3", m.pop3, "STARTTLS") +
                     port_line("SMTP submission", m.submissions, "TLS") +
                     port_line("SMTP submission", m.submission, "STARTTLS");
  std::string body = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>{0} mail</title></head>\n<body>\n<main>\n<h1>Mail client settings</h1>\n"
      "<p>Server: <strong>{0}</strong>. User name: your whole email address. Most mail "
      "clients find these settings themselves from your address.</p>\n"
      "<p><a href=\"/account/\">My account</a>: sign in, app passwords, two-factor "
      "authentication, last logins.</p>\n"
      "<table>\n<caption>Servers and ports</caption>\n"
      "<tr><th scope=\"col\">Service</th><th scope=\"col\">Port</th>"
      "<th scope=\"col\">Security</th></tr>\n{1}</table>\n</main>\n</body>\n</html>\n",
      xml_escape(m.hostname), rows);
  return {200, {{"Content-Type", "text/html; charset=utf-8"}}, std::move(body)};
}

bool plain_host(std::string_view host) {
  return !host.empty() && host.size() <= 253 && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':';
  });
}

}  // namespace

void secure_headers(HttpResponse& response, bool tls) {
  auto& h = response.headers;
  h.emplace_back("Content-Security-Policy", kCsp);
  h.emplace_back("X-Content-Type-Options", "nosniff");
  h.emplace_back("Referrer-Policy", "no-referrer");
  h.emplace_back("Permissions-Policy",
                 "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
  h.emplace_back("X-Frame-Options", "DENY");
  h.emplace_back("Cache-Control", "no-store");
  if (tls) h.emplace_back("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
}

HttpResponse handle_request(const HttpRequest& request, const Site& site) {
  HttpResponse response;
  if (auto answer = handle_autoconfig(request, site.mail)) {
    response = std::move(*answer);
  } else if (auto page = handle_ui(request)) {
    response = std::move(*page);
  } else if (site.api && (path_of(request.target).starts_with("/api/") ||
                          path_of(request.target) == "/metrics")) {
    response = handle_api(request, *site.api);
  } else if (path_of(request.target) == "/healthz") {
    response = {200, {{"Content-Type", "application/json"}}, "{\"status\":\"ok\"}\n"};
  } else if (path_of(request.target) == "/" && request.method == "GET") {
    response = settings_page(site);
  } else {
    response = json_error(404, "not_found", "no such page");
  }
  secure_headers(response, true);
  return response;
}

HttpResponse handle_plain(const HttpRequest& request, const Site& site) {
  HttpResponse response;
  if (auto answer = handle_autoconfig(request, site.mail)) {
    response = std::move(*answer);
  } else {
    std::string host = plain_host(request.host) ? request.host : site.mail.hostname;
    host = host.substr(0, host.find(':'));
    std::string port = site.https_port == 443 ? "" : fmt::format(":{}", site.https_port);
    std::string target = request.target.starts_with('/') ? request.target : "/";
    response = {308, {{"Location", fmt::format("https://{}{}{}", host, port, target)}}, {}};
  }
  secure_headers(response, false);
  return response;
}

}  // namespace appliance::webd
