// NAME
//   autoconfig_test.cpp - Thunderbird autoconfig and Outlook autodiscover,
//   request in, response out.
#include "webd/autoconfig.h"

#include <gtest/gtest.h>

namespace appliance::webd {
namespace {

MailSettings settings() {
  MailSettings s = mail_settings("mail.example.test", "example.test",
                                 {{"imap", "127.0.0.1:143"},
                                  {"imaps", "127.0.0.1:993"},
                                  {"pop3", "127.0.0.1:110"},
                                  {"pop3s", "127.0.0.1:995"},
                                  {"submission", "127.0.0.1:587"},
                                  {"submissions", "127.0.0.1:465"},
                                  {"smtp", "127.0.0.1:25"}});
  s.serves = [](std::string_view d) { return d == "example.test" || d == "other.test"; };
  return s;
}

HttpResponse get(std::string target, std::string host = "example.test") {
  auto r = handle_autoconfig({"GET", std::move(target), std::move(host), ""}, settings());
  EXPECT_TRUE(r.has_value());
  return r.value_or(HttpResponse{});
}

HttpResponse post(std::string body, std::string target = "/autodiscover/autodiscover.xml") {
  auto r = handle_autoconfig({"POST", std::move(target), "autodiscover.example.test",
                              std::move(body)},
                             settings());
  EXPECT_TRUE(r.has_value());
  return r.value_or(HttpResponse{});
}

std::string outlook_request(std::string_view address) {
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
         "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/"
         "requestschema/2006\"><Request><EMailAddress>" +
         std::string(address) +
         "</EMailAddress><AcceptableResponseSchema>http://schemas.microsoft.com/exchange/"
         "autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request>"
         "</Autodiscover>";
}

TEST(Autoconfig, ThunderbirdGetsEveryServerImplicitTlsFirst) {
  auto r = get("/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=alice%40Other.test");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers[0].second, "text/xml; charset=utf-8");
  const std::string& b = r.body;
  EXPECT_NE(b.find("<emailProvider id=\"other.test\">"), std::string::npos) << b;
  EXPECT_NE(b.find("<domain>other.test</domain>"), std::string::npos);
  auto imaps = b.find("<incomingServer type=\"imap\">\n      <hostname>mail.example.test"
                      "</hostname>\n      <port>993</port>\n      <socketType>SSL</socketType>");
  auto imap = b.find("<port>143</port>\n      <socketType>STARTTLS</socketType>");
  auto pop3s = b.find("<incomingServer type=\"pop3\">\n      <hostname>mail.example.test"
                      "</hostname>\n      <port>995</port>\n      <socketType>SSL</socketType>");
  auto pop3 = b.find("<port>110</port>\n      <socketType>STARTTLS</socketType>");
  auto smtps = b.find("<outgoingServer type=\"smtp\">\n      <hostname>mail.example.test"
                      "</hostname>\n      <port>465</port>");
  auto submission = b.find("<port>587</port>\n      <socketType>STARTTLS</socketType>");
  EXPECT_LT(imaps, imap);
  EXPECT_LT(imap, pop3s);
  EXPECT_LT(pop3s, pop3);
  EXPECT_LT(pop3, smtps);
  EXPECT_LT(smtps, submission);
  EXPECT_NE(submission, std::string::npos);
  EXPECT_NE(b.find("<username>%EMAILADDRESS%</username>"), std::string::npos);
  EXPECT_EQ(b.find("<port>25</port>"), std::string::npos);  // MX is not for clients
}

TEST(Autoconfig, TheDomainComesFromTheAddressTheHostOrTheDefault) {
  EXPECT_NE(get("/mail/config-v1.1.xml?emailaddress=bob%40other.test", "autoconfig.example.test")
                .body.find("<domain>other.test</domain>"),
            std::string::npos);
  EXPECT_NE(get("/mail/config-v1.1.xml", "AutoConfig.Other.Test:8443")
                .body.find("<domain>other.test</domain>"),
            std::string::npos);
  EXPECT_NE(get("/.well-known/autoconfig/mail/config-v1.1.xml", "127.0.0.1:8443")
                .body.find("<domain>example.test</domain>"),
            std::string::npos);
  // /mail/... belongs to autoconfig only on the autoconfig host.
  EXPECT_FALSE(handle_autoconfig({"GET", "/mail/config-v1.1.xml", "example.test", ""}, settings()));
  EXPECT_FALSE(handle_autoconfig({"GET", "/", "example.test", ""}, settings()));
}

TEST(Autoconfig, BadOrForeignRequestsAreRefused) {
  const std::string path = "/.well-known/autoconfig/mail/config-v1.1.xml";
  EXPECT_EQ(get(path + "?emailaddress=alice%40elsewhere.test").status, 404);
  EXPECT_EQ(get(path, "elsewhere.test").status, 404);
  EXPECT_EQ(get(path + "?emailaddress=%3Cscript%3E%40example.test").status, 400);
  EXPECT_EQ(get(path + "?emailaddress=alice%4").status, 400);
  EXPECT_EQ(get(path + "?emailaddress=a%22b%40example.test").status, 400);
  EXPECT_EQ(get(path + "?emailaddress=" + std::string(300, 'a') + "%40example.test").status, 400);
  auto r = handle_autoconfig({"POST", path, "example.test", ""}, settings());
  EXPECT_EQ(r->status, 405);
}

TEST(Autodiscover, OutlookGetsImapPop3AndSmtpOverTls) {
  auto r = post(outlook_request("Alice@Example.TEST"));
  EXPECT_EQ(r.status, 200);
  const std::string& b = r.body;
  EXPECT_NE(b.find("<Type>IMAP</Type>\n        <Server>mail.example.test</Server>\n"
                   "        <Port>993</Port>\n        <LoginName>Alice@example.test</LoginName>"),
            std::string::npos)
      << b;
  EXPECT_NE(b.find("<Type>POP3</Type>\n        <Server>mail.example.test</Server>\n"
                   "        <Port>995</Port>"),
            std::string::npos);
  EXPECT_NE(b.find("<Type>SMTP</Type>\n        <Server>mail.example.test</Server>\n"
                   "        <Port>465</Port>"),
            std::string::npos);
  EXPECT_NE(b.find("<SSL>on</SSL>"), std::string::npos);
  EXPECT_NE(b.find("responseschema/2006a"), std::string::npos);
  // Some Outlook versions capitalise the path.
  EXPECT_EQ(post(outlook_request("alice@example.test"), "/Autodiscover/Autodiscover.xml").status,
            200);
}

TEST(Autodiscover, StartTlsWhenNoImplicitTlsPortIsOffered) {
  MailSettings s = settings();
  s.pop3s = 0;
  auto r = handle_autoconfig(
      {"POST", "/autodiscover/autodiscover.xml", "", outlook_request("a@example.test")}, s);
  EXPECT_NE(r->body.find("<Port>110</Port>\n        <LoginName>a@example.test</LoginName>\n"
                         "        <DomainRequired>off</DomainRequired>\n        <SPA>off</SPA>\n"
                         "        <Encryption>TLS</Encryption>"),
            std::string::npos)
      << r->body;
}

TEST(Autodiscover, BadRequestsAreRefused) {
  EXPECT_EQ(post("<Autodiscover/>").status, 400);
  EXPECT_EQ(post(outlook_request("")).status, 400);
  EXPECT_EQ(post(outlook_request("x&amp;y@example.test")).status, 400);
  EXPECT_EQ(post(outlook_request("a<x>@example.test")).status, 400);
  EXPECT_EQ(post(outlook_request("a@elsewhere.test")).status, 404);
  EXPECT_EQ(post(std::string(kMaxAutodiscoverBody + 1, ' ')).status, 413);
  auto r = handle_autoconfig({"GET", "/autodiscover/autodiscover.xml", "example.test", ""},
                             settings());
  EXPECT_EQ(r->status, 405);
}

TEST(Autoconfig, EverythingFromOutsideIsEscaped) {
  EXPECT_EQ(xml_escape("<a href=\"x\">'&'</a>\x01"),
            "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;?");
  MailSettings s = settings();
  s.display_name = "A & B <Mail>";
  s.serves = nullptr;
  // A quoted local part may hold characters XML must not see raw.
  auto r = handle_autoconfig(
      {"POST", "/autodiscover/autodiscover.xml", "", outlook_request("\"a<b>c\"@example.test")}, s);
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("<LoginName>&quot;a&lt;b&gt;c&quot;@example.test</LoginName>"),
            std::string::npos)
      << r->body;
  auto t = handle_autoconfig({"GET", "/.well-known/autoconfig/mail/config-v1.1.xml", "", ""}, s);
  EXPECT_NE(t->body.find("<displayName>A &amp; B &lt;Mail&gt;</displayName>"), std::string::npos);
}

}  // namespace
}  // namespace appliance::webd
