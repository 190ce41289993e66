// NAME
//   site_test.cpp - webd's routes and the headers every response carries.
#include "webd/site.h"
#include "webd/ui.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace appliance::webd {
namespace {

Site site() {
  Site s;
  s.mail = MailSettings{"mail.example.test", "example.test"};
  s.https_port = 8443;
  return s;
}

std::string header(const HttpResponse& r, std::string_view name) {
  auto it = std::find_if(r.headers.begin(), r.headers.end(),
                         [&](const auto& h) { return h.first == name; });
  return it == r.headers.end() ? "" : it->second;
}

TEST(Site, EveryResponseCarriesTheSecurityHeaders) {
  for (std::string target : {"/", "/healthz", "/nothing", "/.well-known/autoconfig/mail/config-v1.1.xml"}) {
    auto r = handle_request({"GET", target, "mail.example.test", ""}, site());
    std::string csp = header(r, "Content-Security-Policy");
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << target;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << target;
    EXPECT_EQ(csp.find("unsafe"), std::string::npos) << target;
    EXPECT_EQ(header(r, "X-Content-Type-Options"), "nosniff") << target;
    EXPECT_EQ(header(r, "Referrer-Policy"), "no-referrer") << target;
    EXPECT_FALSE(header(r, "Permissions-Policy").empty()) << target;
    EXPECT_EQ(header(r, "Strict-Transport-Security"), "max-age=63072000; includeSubDomains");
  }
  auto plain = handle_plain({"GET", "/", "mail.example.test", ""}, site());
  EXPECT_EQ(header(plain, "Strict-Transport-Security"), "");  // HSTS means nothing over http
  EXPECT_FALSE(header(plain, "Content-Security-Policy").empty());
}

TEST(Site, TheSettingsPageListsTheServers) {
  auto r = handle_request({"GET", "/", "mail.example.test", ""}, site());
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<strong>mail.example.test</strong>"), std::string::npos);
  EXPECT_NE(r.body.find("<td>993</td>"), std::string::npos);
  EXPECT_EQ(r.body.find("<script"), std::string::npos);
}

TEST(Site, HealthAndUnknownPages) {
  EXPECT_EQ(handle_request({"GET", "/healthz", "h", ""}, site()).body, "{\"status\":\"ok\"}\n");
  auto missing = handle_request({"GET", "/api/v1/nothing?x=<b>", "h", ""}, site());
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(header(missing, "Content-Type"), "application/json");
  EXPECT_EQ(missing.body.find("<b>"), std::string::npos);
}

TEST(Site, PlainHttpRedirectsToHttpsButServesClientSetUp) {
  auto r = handle_plain({"GET", "/login?next=%2F", "mail.example.test:8080", ""}, site());
  EXPECT_EQ(r.status, 308);
  EXPECT_EQ(header(r, "Location"), "https://mail.example.test:8443/login?next=%2F");
  // A Host that is not a plain name is not echoed into the redirect.
  auto evil = handle_plain({"GET", "/", "evil.test/\"><x", ""}, site());
  EXPECT_EQ(header(evil, "Location"), "https://mail.example.test:8443/");
  auto setup = handle_plain(
      {"GET", "/mail/config-v1.1.xml?emailaddress=alice%40example.test", "autoconfig.example.test", ""},
      site());
  EXPECT_EQ(setup.status, 200);
  EXPECT_NE(setup.body.find("<hostname>mail.example.test</hostname>"), std::string::npos);
}

TEST(Ui, PagesAreServedWithoutInlineCode) {
  auto page = handle_request({"GET", "/account/", "mail.example.test", ""}, site());
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(header(page, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("<script src=\"/account/app.js\" defer></script>"), std::string::npos);
  EXPECT_NE(page.body.find("<script src=\"/account/admin.js\" defer></script>"), std::string::npos);
  EXPECT_EQ(handle_request({"GET", "/account", "h", ""}, site()).body, page.body);
  for (const UiFile& f : ui_files()) {
    std::string body(f.body);
    EXPECT_EQ(body.find("style="), std::string::npos) << f.name;
    EXPECT_EQ(body.find("onclick"), std::string::npos) << f.name;
    EXPECT_EQ(body.find("innerHTML"), std::string::npos) << f.name;
    EXPECT_EQ(body.find("eval("), std::string::npos) << f.name;
  }
  std::string html(page.body);
  for (std::size_t at = html.find("<script"); at != std::string::npos; at = html.find("<script", at + 1))
    EXPECT_EQ(html.compare(at, 13, "<script src=\""), 0);
  for (const char* script : {"/account/app.js", "/account/admin.js", "/account/dashboard.js"})
    EXPECT_EQ(header(handle_request({"GET", script, "h", ""}, site()), "Content-Type"),
              "text/javascript; charset=utf-8");
  EXPECT_EQ(handle_request({"GET", "/account/../site.cpp", "h", ""}, site()).status, 404);
  EXPECT_EQ(handle_request({"POST", "/account/", "h", ""}, site()).status, 405);
}

}  // namespace
}  // namespace appliance::webd
