// NAME
//   autoconfig.h - mail client set-up: Thunderbird autoconfig and Outlook
//   autodiscover, as a pure request-to-response handler.
//
// DESCRIPTION
//   handle_autoconfig() answers
//     GET  /.well-known/autoconfig/mail/config-v1.1.xml[?emailaddress=A]
//     GET  /mail/config-v1.1.xml?emailaddress=A   (Host autoconfig.<domain>)
//     POST /autodiscover/autodiscover.xml         (Outlook's request schema 2006)
//   with the servers and ports of this appliance (MailSettings: its host
//   name and the public ports clients use), and returns nothing for any
//   other request, which webd serves as it would otherwise. No sockets: webd
//   calls it with what it read, and the tests call it with strings.
//
//   The domain comes from the address asked about, else from the Host
//   header (without "autoconfig."), else the appliance's first domain; a
//   domain the appliance does not serve is 404, so the handler does not
//   describe other people's mail.
//
// SECURITY
//   Everything in the request is untrusted: the query and the XML body are
//   read with limits (64 KiB body, 254-octet address) and no XML parser (no
//   entities, no DTDs); the address must be a valid RFC 5321 mailbox and
//   the domain a valid domain; whatever of it goes into the reply is
//   XML-escaped. The reply holds no secret and names only what the
//   appliance publishes anyway.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace appliance::webd {

struct MailSettings {
  std::string hostname;        // the appliance's host name, in every server entry
  std::string default_domain;  // when the request names no domain
  std::string display_name = "Mail";
  // Public ports; 0: not offered.
  int imap = 143, imaps = 993, pop3 = 110, pop3s = 995, submission = 587, submissions = 465;
  // Whether the appliance receives mail for the domain; null: every domain.
  std::function<bool(std::string_view domain)> serves;
};

// The ports from run/endpoints.json's names ("imaps" -> "127.0.0.1:10993");
// a listener not there is not offered.
MailSettings mail_settings(std::string hostname, std::string default_domain,
                           const std::map<std::string, std::string>& endpoints);

struct HttpRequest {
  std::string method;  // "GET", "POST"
  std::string target;  // path and query, as received
  std::string host;    // the Host header, maybe with a port
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string source;  // the client's IP address

  // The first header of that name (lower case), or empty.
  std::string_view header(std::string_view name) const {
    for (const auto& [n, v] : headers)
      if (n == name) return v;
    return {};
  }
};

struct HttpResponse {
  using Put = std::function<Result<void>(std::string_view)>;
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // A body too large to hold, instead of `body`: run on a worker once the
  // head is sent, it makes the body and hands it to `put` piece by piece
  // (sent chunked; put waits while the client is behind, and fails once it
  // is gone). A failure after the head cuts the connection, so the client
  // sees the body end early rather than a short body that looks whole.
  std::function<Result<void>(const Put& put)> stream;
};

inline constexpr std::size_t kMaxAutodiscoverBody = 64 * 1024;

std::optional<HttpResponse> handle_autoconfig(const HttpRequest& request,
                                              const MailSettings& settings);

// application/x-www-form-urlencoded: "+" is a space, "%HH" an octet; nullopt when badly encoded.
std::optional<std::string> percent_decode(std::string_view text);
// The decoded value of `name` in the query; "" when absent; nullopt when badly encoded.
std::optional<std::string> query_value(std::string_view query, std::string_view name);

// &, <, >, " and ' as entities; control characters XML 1.0 cannot hold become '?'.
std::string xml_escape(std::string_view text);

}  // namespace appliance::webd
