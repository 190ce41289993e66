// NAME
//   autoconfig.cpp - the autoconfig and autodiscover documents, and the
//   little of the request they need.
#include "webd/autoconfig.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <variant>

#include "common/config.h"
#include "proto/smtp/address.h"

namespace appliance::webd {
namespace {

constexpr std::string_view kThunderbirdPath = "/.well-known/autoconfig/mail/config-v1.1.xml";
constexpr std::string_view kAutoconfigHostPath = "/mail/config-v1.1.xml";
constexpr std::string_view kAutodiscoverPath = "/autodiscover/autodiscover.xml";
constexpr std::size_t kMaxAddress = 254;  // RFC 5321 4.5.3.1.3, less the brackets

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

HttpResponse plain(int status, std::string text) {
  return {status, {{"Content-Type", "text/plain; charset=utf-8"}}, std::move(text) + "\n"};
}

HttpResponse xml(std::string body) {
  return {200,
          {{"Content-Type", "text/xml; charset=utf-8"}, {"Cache-Control", "no-cache"}},
          std::move(body)};
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

}  // namespace

// application/x-www-form-urlencoded: "+" is a space, "%HH" an octet.
std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] != '%') {
      out += text[i];
    } else {
      int hi = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
      int lo = hi >= 0 ? hex_digit(text[i + 2]) : -1;
      if (lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    }
  }
  return out;
}

// The decoded value of `name` in the query; "" when absent; nullopt when badly encoded.
std::optional<std::string> query_value(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
    std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name)
      return eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
  }
  return "";
}

namespace {

struct Address {
  std::string text;    // local@domain, the domain in lower case
  std::string domain;  // lower case
};

std::optional<Address> checked_address(std::string_view text) {
  if (text.empty() || text.size() > kMaxAddress) return std::nullopt;
  std::string path = "<" + std::string(text) + ">";
  auto parsed = smtp::parse_path(path, {});
  if (parsed.fault != smtp::PathFault::none || parsed.used != path.size() ||
      parsed.mailbox.domain.empty() || parsed.mailbox.domain.front() == '[')
    return std::nullopt;
  smtp::Mailbox m = parsed.mailbox;
  m.domain = lower(m.domain);
  return Address{m.text(), m.domain};
}

// The Host header's name: no port, no "autoconfig." in front, lower case.
std::string host_domain(std::string_view host) {
  // An IPv6 literal ("[::1]:443") is no domain anyway.
  std::size_t colon = host.rfind(':');
  if (colon != std::string_view::npos && host.find(']') == std::string_view::npos)
    host = host.substr(0, colon);
  std::string name = lower(host);
  if (name.starts_with("autoconfig.")) name.erase(0, 11);
  if (name.starts_with("autodiscover.")) name.erase(0, 13);
  return name;
}

// The domain to describe, or the response that refuses.
struct Target {
  std::optional<Address> address;
  std::string domain;
};
std::variant<Target, HttpResponse> choose_domain(std::optional<std::string_view> address,
                                                 std::string_view host,
                                                 const MailSettings& s) {
  Target t;
  if (address && !address->empty()) {
    t.address = checked_address(*address);
    if (!t.address) return plain(400, "Not a mail address");
    t.domain = t.address->domain;
  } else {
    t.domain = host_domain(host);
    // An address (IPv4, or not a domain at all) or a bare host name: the first domain.
    bool numeric = t.domain.find_first_not_of("0123456789.") == std::string::npos;
    if (numeric || !smtp::valid_domain(t.domain, false) || t.domain.find('.') == std::string::npos)
      t.domain = lower(s.default_domain);
  }
  if (!smtp::valid_domain(t.domain, false) || (s.serves && !s.serves(t.domain)))
    return plain(404, "No mail service for this domain here");
  return t;
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        bool control = static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r';
        out += control || c == 0x7f ? '?' : c;
    }
  }
  return out;
}

MailSettings mail_settings(std::string hostname, std::string default_domain,
                           const std::map<std::string, std::string>& endpoints) {
  MailSettings s;
  s.hostname = std::move(hostname);
  s.default_domain = std::move(default_domain);
  auto port = [&](const std::string& name) -> int {
    auto it = endpoints.find(name);
    if (it == endpoints.end()) return 0;
    auto hp = config::parse_endpoint(it->second);
    return hp ? static_cast<int>(hp->port) : 0;
  };
  s.imap = port("imap"), s.imaps = port("imaps");
  s.pop3 = port("pop3"), s.pop3s = port("pop3s");
  s.submission = port("submission"), s.submissions = port("submissions");
  return s;
}

namespace {

// One server of Thunderbird's document; nothing when the port is not offered.
std::string thunderbird_server(std::string_view element, std::string_view type, int port,
                               std::string_view socket, const MailSettings& s) {
  if (port == 0) return "";
  return fmt::format(
      "    <{0} type=\"{1}\">\n"
      "      <hostname>{2}</hostname>\n"
      "      <port>{3}</port>\n"
      "      <socketType>{4}</socketType>\n"
      "      <authentication>password-cleartext</authentication>\n"
      "      <username>%EMAILADDRESS%</username>\n"
      "    </{0}>\n",
      element, type, xml_escape(s.hostname), port, socket);
}

// Implicit TLS first: clients try the entries in order.
std::string thunderbird(const std::string& domain, const MailSettings& s) {
  std::string d = xml_escape(domain);
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<clientConfig version=\"1.1\">\n"
      "  <emailProvider id=\"{0}\">\n"
      "    <domain>{0}</domain>\n"
      "    <displayName>{1}</displayName>\n"
      "    <displayShortName>{1}</displayShortName>\n"
      "{2}{3}{4}{5}{6}{7}"
      "  </emailProvider>\n"
      "</clientConfig>\n",
      d, xml_escape(s.display_name),
      thunderbird_server("incomingServer", "imap", s.imaps, "SSL", s),
      thunderbird_server("incomingServer", "imap", s.imap, "STARTTLS", s),
      thunderbird_server("incomingServer", "pop3", s.pop3s, "SSL", s),
      thunderbird_server("incomingServer", "pop3", s.pop3, "STARTTLS", s),
      thunderbird_server("outgoingServer", "smtp", s.submissions, "SSL", s),
      thunderbird_server("outgoingServer", "smtp", s.submission, "STARTTLS", s));
}

// One <Protocol> of Outlook's document: implicit TLS where offered, else STARTTLS.
std::string outlook_protocol(std::string_view type, int tls_port, int starttls_port,
                             const Address& a, const MailSettings& s) {
  int port = tls_port ? tls_port : starttls_port;
  if (port == 0) return "";
  return fmt::format(
      "      <Protocol>\n"
      "        <Type>{}</Type>\n"
      "        <Server>{}</Server>\n"
      "        <Port>{}</Port>\n"
      "        <LoginName>{}</LoginName>\n"
      "        <DomainRequired>off</DomainRequired>\n"
      "        <SPA>off</SPA>\n"
      "        {}\n"
      "        <AuthRequired>on</AuthRequired>\n"
      "      </Protocol>\n",
      type, xml_escape(s.hostname), port, xml_escape(a.text),
      tls_port ? "<SSL>on</SSL>" : "<Encryption>TLS</Encryption>");
}

std::string outlook(const Address& a, const MailSettings& s) {
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/"
      "responseschema/2006\">\n"
      "  <Response xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/"
      "responseschema/2006a\">\n"
      "    <Account>\n"
      "      <AccountType>email</AccountType>\n"
      "      <Action>settings</Action>\n"
      "{}{}{}"
      "    </Account>\n"
      "  </Response>\n"
      "</Autodiscover>\n",
      outlook_protocol("IMAP", s.imaps, s.imap, a, s), outlook_protocol("POP3", s.pop3s, s.pop3, a, s),
      outlook_protocol("SMTP", s.submissions, s.submission, a, s));
}

// The text of the first <name>...</name> in the body; no entities, no nesting.
std::optional<std::string_view> element_text(std::string_view body, std::string_view name) {
  std::string open = fmt::format("<{}>", name), close = fmt::format("</{}>", name);
  std::size_t start = body.find(open);
  if (start == std::string_view::npos) return std::nullopt;
  start += open.size();
  std::size_t end = body.find(close, start);
  if (end == std::string_view::npos) return std::nullopt;
  return body.substr(start, end - start);
}

HttpResponse autoconfig(const HttpRequest& r, std::string_view query, const MailSettings& s) {
  if (r.method != "GET" && r.method != "HEAD")
    return {405, {{"Allow", "GET, HEAD"}}, ""};
  auto address = query_value(query, "emailaddress");
  if (!address) return plain(400, "Bad query encoding");
  auto chosen = choose_domain(*address, r.host, s);
  if (auto* refused = std::get_if<HttpResponse>(&chosen)) return *refused;
  return xml(thunderbird(std::get<Target>(chosen).domain, s));
}

HttpResponse autodiscover(const HttpRequest& r, const MailSettings& s) {
  if (r.method != "POST") return {405, {{"Allow", "POST"}}, ""};
  if (r.body.size() > kMaxAutodiscoverBody) return plain(413, "Request too large");
  auto address = element_text(r.body, "EMailAddress");
  if (!address || address->empty()) return plain(400, "No EMailAddress in the request");
  auto chosen = choose_domain(*address, r.host, s);
  if (auto* refused = std::get_if<HttpResponse>(&chosen)) return *refused;
  return xml(outlook(*std::get<Target>(chosen).address, s));
}

}  // namespace

std::optional<HttpResponse> handle_autoconfig(const HttpRequest& r, const MailSettings& s) {
  std::string_view target = r.target;
  std::size_t q = target.find('?');
  std::string_view path = target.substr(0, q);
  std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
  if (path == kThunderbirdPath) return autoconfig(r, query, s);
  if (path == kAutoconfigHostPath && lower(r.host).starts_with("autoconfig."))
    return autoconfig(r, query, s);
  // Outlook's clients differ in the case of the path.
  if (lower(path) == kAutodiscoverPath) return autodiscover(r, s);
  return std::nullopt;
}

}  // namespace appliance::webd
