// NAME
//   api_test.cpp - the REST API without sockets: request in, response out,
//   on a real SQLite store with keys in memory and a clock moved by hand.
//   Sign-in, cookie flags, no fixation, CSRF, sudo mode, TOTP, app
//   passwords, API keys (expiry, revocation), JSON errors, OpenAPI; the
//   contact address and the password reset confirmed by mailed codes, the
//   notices, and the export as a tar archive.
#include <gtest/gtest.h>

#include <regex>

#include "auth/encoding.h"
#include "auth/totp.h"
#include "webd/api.h"
#include "webd/http.h"
#include "webd/testing/web_test.h"

namespace appliance::webd {
namespace {

using nlohmann::json;

struct Client {
  std::string cookie;  // the session id
  std::string csrf;
};

class ApiTest : public testing::WebTest {
 protected:
  void SetUp() override {
    WebTest::SetUp();
    alice_ = add_account("alice@example.test", "long enough password");
    ASSERT_TRUE(tenant().create_mailbox(alice_, "INBOX"));
  }

  HttpResponse send(const std::string& method, const std::string& target, const Client* c = nullptr,
                    const std::string& body = "", bool same_origin = true) {
    HttpRequest r{method, target, "mail.example.test", body, {}, "192.0.2.5"};
    r.headers.emplace_back("user-agent", "TestBrowser/1");
    if (!body.empty()) r.headers.emplace_back("content-type", "application/json");
    if (same_origin) r.headers.emplace_back("origin", "https://mail.example.test");
    if (c && !c->cookie.empty()) r.headers.emplace_back("cookie", "__Host-session=" + c->cookie);
    if (c && !c->csrf.empty()) r.headers.emplace_back("x-csrf-token", c->csrf);
    return whole(handle_api(r, *parts_));
  }
  // A streamed body made and kept, as a client would receive it.
  static HttpResponse whole(HttpResponse r) {
    if (!r.stream) return r;
    auto made = r.stream([&](std::string_view piece) {
      r.body.append(piece);
      return Result<void>();
    });
    EXPECT_TRUE(made) << made.message();
    r.stream = nullptr;
    return r;
  }
  HttpResponse bearer(const std::string& method, const std::string& target, const std::string& key,
                      const std::string& body = "") {
    HttpRequest r{method, target, "mail.example.test", body, {}, "192.0.2.5"};
    r.headers.emplace_back("authorization", "Bearer " + key);
    if (!body.empty()) r.headers.emplace_back("content-type", "application/json");
    return handle_api(r, *parts_);
  }
  static std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [n, v] : r.headers)
      if (n == name) return v;
    return "";
  }
  static json body(const HttpResponse& r) { return json::parse(r.body); }
  static std::string code(const HttpResponse& r) { return body(r)["error"]["code"]; }
  // Takes the session id from Set-Cookie and the CSRF token from the body.
  static void adopt(Client& c, const HttpResponse& r) {
    std::string cookie = header(r, "Set-Cookie");
    c.cookie = cookie.substr(15, cookie.find(';') - 15);
    c.csrf = body(r)["csrf_token"];
  }
  Client sign_in(const std::string& password = "long enough password") {
    Client c;
    auto r = send("POST", "/api/v1/session", nullptr,
                  json{{"address", "alice@example.test"}, {"password", password}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status == 200) adopt(c, r);
    return c;
  }
  void enter_sudo(Client& c) {
    auto r = send("POST", "/api/v1/session/sudo", &c,
                  json{{"password", "long enough password"}}.dump());
    ASSERT_EQ(r.status, 200) << r.body;
  }
  std::string totp_now(const std::string& secret) {
    return auth::hotp(Secret(auth::base32_decode(secret).value()),
                      std::uint64_t(clock_.unix_seconds() / 30));
  }

  // The messages queued for `to`, oldest first.
  std::vector<std::string> queued_to(const std::string& to) {
    std::vector<std::string> out;
    std::vector<store::QueueEntry> entries = tenant().queue().entries().value();
    for (const auto& e : entries) {
      if (e.recipients.empty() || e.recipients[0].address != to) continue;
      std::string text;
      EXPECT_TRUE(tenant().queue().read(e, [&](std::string_view p) -> Result<void> {
        text.append(p);
        return {};
      }));
      out.push_back(text);
    }
    return out;
  }
  // Alice's INBOX, oldest first.
  std::vector<std::string> inbox() {
    auto box = tenant().mailboxes(alice_).value().front();
    std::vector<std::string> out;
    std::vector<store::Message> messages = tenant().messages(alice_, box.id).value();
    for (const auto& m : messages) {
      std::string text;
      EXPECT_TRUE(tenant().read(alice_, m.id, [&](std::string_view p) -> Result<void> {
        text.append(p);
        return {};
      }));
      out.push_back(text);
    }
    return out;
  }
  // The code in the last mail queued for `to`.
  std::string mailed_code(const std::string& to) {
    auto mails = queued_to(to);
    std::smatch m;
    if (mails.empty() || !std::regex_search(mails.back(), m, std::regex("Code: +([a-z2-7-]+)")))
      return "";
    return m[1];
  }
  std::vector<std::string> actions() {
    std::vector<std::string> out;
    std::vector<store::EventRow> events =
        store_->web().events_about("alice@example.test", 100).value();
    for (const auto& e : events) out.push_back(e.action);
    return out;
  }
  HttpResponse reset(const std::string& token, const std::string& password,
                     const std::string& factor = "") {
    json b = {{"address", "alice@example.test"}, {"token", token}, {"password", password}};
    if (!factor.empty()) b["code"] = factor;
    return send("POST", "/api/v1/password-reset/confirm", nullptr, b.dump());
  }

  store::Id alice_ = 0;
};

TEST_F(ApiTest, SignInSetsAStrictCookieAndANewIdEachTime) {
  auto r = send("POST", "/api/v1/session", nullptr,
                R"({"address":"alice@example.test","password":"long enough password"})");
  ASSERT_EQ(r.status, 200) << r.body;
  std::string cookie = header(r, "Set-Cookie");
  EXPECT_TRUE(cookie.starts_with("__Host-session=")) << cookie;
  EXPECT_NE(cookie.find("; Path=/; Secure; HttpOnly; SameSite=Strict"), std::string::npos);
  EXPECT_EQ(cookie.find("Domain"), std::string::npos);
  Client first;
  adopt(first, r);
  EXPECT_EQ(first.cookie.size(), 43u);
  EXPECT_EQ(body(r)["signed_in"], true);
  EXPECT_EQ(send("GET", "/api/v1/me", &first).status, 200);

  // Signing in again with the old cookie: a new id, and the old one is gone.
  auto again = send("POST", "/api/v1/session", &first,
                    R"({"address":"alice@example.test","password":"long enough password"})");
  ASSERT_EQ(again.status, 200) << again.body;
  Client second;
  adopt(second, again);
  EXPECT_NE(second.cookie, first.cookie);
  EXPECT_EQ(send("GET", "/api/v1/me", &first).status, 401);
  EXPECT_EQ(send("GET", "/api/v1/me", &second).status, 200);
  // The store holds no session id.
  auto s = store_->web().session(second.cookie).value();
  EXPECT_FALSE(s);
}

TEST_F(ApiTest, UnknownUserAndWrongPasswordAnswerAlike) {
  auto unknown = send("POST", "/api/v1/session", nullptr,
                      R"({"address":"nobody@example.test","password":"long enough password"})");
  auto wrong = send("POST", "/api/v1/session", nullptr,
                    R"({"address":"alice@example.test","password":"not her password"})");
  auto foreign = send("POST", "/api/v1/session", nullptr,
                      R"({"address":"alice@other.test","password":"long enough password"})");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(unknown.body, wrong.body);
  EXPECT_EQ(unknown.headers, wrong.headers);
  EXPECT_EQ(foreign.body, wrong.body);
  EXPECT_EQ(code(wrong), "sign_in_failed");
  auto log = store_->logs().logins("alice@example.test", 1).value();
  EXPECT_EQ(log.front().protocol, "web");
  EXPECT_EQ(log.front().client, "TestBrowser/1");
}

TEST_F(ApiTest, CsrfIsRefused) {
  Client c = sign_in();
  const std::string body = R"({"name":"phone","protocols":["imap"]})";
  Client no_token{c.cookie, ""};
  auto r = send("POST", "/api/v1/me/app-passwords", &no_token, body);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(code(r), "csrf");
  // Another first character (a token starting with "x" came back unchanged 1 time in 64).
  Client wrong{c.cookie, (c.csrf[0] == 'x' ? "y" : "x") + c.csrf.substr(1)};
  EXPECT_EQ(send("POST", "/api/v1/me/app-passwords", &wrong, body).status, 403);
  EXPECT_EQ(send("POST", "/api/v1/me/app-passwords", &c, body, false).status, 403);
  HttpRequest cross{"POST", "/api/v1/me/app-passwords", "mail.example.test", body, {}, "192.0.2.5"};
  cross.headers = {{"content-type", "application/json"},
                   {"origin", "https://evil.test"},
                   {"cookie", "__Host-session=" + c.cookie},
                   {"x-csrf-token", c.csrf}};
  EXPECT_EQ(code(handle_api(cross, *parts_)), "csrf");
  cross.headers[1] = {"sec-fetch-site", "cross-site"};
  EXPECT_EQ(code(handle_api(cross, *parts_)), "csrf");
  cross.headers[1] = {"sec-fetch-site", "same-origin"};
  EXPECT_EQ(handle_api(cross, *parts_).status, 201);
  // A sign-in from another site is refused too (login CSRF).
  auto login = send("POST", "/api/v1/session", nullptr,
                    R"({"address":"alice@example.test","password":"long enough password"})", false);
  EXPECT_EQ(code(login), "csrf");
  // Reading needs no token.
  EXPECT_EQ(send("GET", "/api/v1/me/app-passwords", &no_token).status, 200);
}

TEST_F(ApiTest, SudoModeIsRequiredAndEnds) {
  Client c = sign_in();
  const std::string body = R"({"name":"ci","grants":["user"]})";
  auto r = send("POST", "/api/v1/me/api-keys", &c, body);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(code(r), "sudo_required");
  auto wrong = send("POST", "/api/v1/session/sudo", &c, R"({"password":"not her password"})");
  EXPECT_EQ(code(wrong), "wrong_password");
  enter_sudo(c);
  EXPECT_EQ(send("POST", "/api/v1/me/api-keys", &c, body).status, 201);
  clock_.advance(std::chrono::minutes(10));
  EXPECT_EQ(code(send("POST", "/api/v1/me/api-keys", &c, body)), "sudo_required");
  EXPECT_EQ(send("POST", "/api/v1/me/password", &c, R"({"password":"another long password"})").status,
            403);
}

TEST_F(ApiTest, SessionsExpireWhenIdleAndSignOutEndsThem) {
  Client c = sign_in();
  clock_.advance(std::chrono::minutes(29));
  EXPECT_EQ(send("GET", "/api/v1/me", &c).status, 200);
  clock_.advance(std::chrono::minutes(29));
  EXPECT_EQ(send("GET", "/api/v1/me", &c).status, 200);
  clock_.advance(std::chrono::minutes(31));
  EXPECT_EQ(code(send("GET", "/api/v1/me", &c)), "not_signed_in");
  Client d = sign_in();
  auto out = send("DELETE", "/api/v1/session", &d);
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(header(out, "Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(send("GET", "/api/v1/me", &d).status, 401);
}

TEST_F(ApiTest, TotpEnrolmentThenSignInNeedsTheCode) {
  Client c = sign_in();
  auto begun = send("POST", "/api/v1/me/totp", &c);
  ASSERT_EQ(begun.status, 200) << begun.body;
  std::string secret = body(begun)["secret"];
  EXPECT_TRUE(std::string(body(begun)["qr_svg"]).starts_with("<svg"));
  auto bad = send("POST", "/api/v1/me/totp/confirm", &c, R"({"code":"000000"})");
  EXPECT_EQ(code(bad), "wrong_code");
  auto ok = send("POST", "/api/v1/me/totp/confirm", &c, json{{"code", totp_now(secret)}}.dump());
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto recovery = body(ok)["recovery_codes"];
  EXPECT_EQ(recovery.size(), 10u);

  Client p = sign_in();
  auto info = send("GET", "/api/v1/session", &p);
  EXPECT_EQ(body(info)["second_factor_due"], true);
  EXPECT_EQ(code(send("GET", "/api/v1/me", &p)), "second_factor_required");
  clock_.advance(std::chrono::seconds(30));
  auto second = send("POST", "/api/v1/session/totp", &p, json{{"code", totp_now(secret)}}.dump());
  ASSERT_EQ(second.status, 200) << second.body;
  Client full;
  adopt(full, second);
  EXPECT_NE(full.cookie, p.cookie);  // a new id once the second factor is in
  EXPECT_EQ(send("GET", "/api/v1/me", &p).status, 401);
  EXPECT_EQ(body(send("GET", "/api/v1/me", &full))["two_factor"], true);

  // Sudo now needs the code as well; a recovery code will do.
  auto no_code = send("POST", "/api/v1/session/sudo", &full, R"({"password":"long enough password"})");
  EXPECT_EQ(code(no_code), "code_required");
  auto sudo = send("POST", "/api/v1/session/sudo", &full,
                   json{{"password", "long enough password"}, {"code", recovery[0]}}.dump());
  EXPECT_EQ(sudo.status, 200) << sudo.body;
  EXPECT_EQ(send("DELETE", "/api/v1/me/totp", &full).status, 204);
}

TEST_F(ApiTest, AppPasswordsShownOnceAndRevoked) {
  Client c = sign_in();
  auto made = send("POST", "/api/v1/me/app-passwords", &c,
                   R"({"name":"phone","protocols":["imap","smtp"]})");
  ASSERT_EQ(made.status, 201) << made.body;
  std::string text = body(made)["password"];
  EXPECT_TRUE(text.starts_with("apw_"));
  EXPECT_TRUE(login("alice@example.test", text).ok);
  auto list = send("GET", "/api/v1/me/app-passwords", &c);
  EXPECT_EQ(list.body.find(text), std::string::npos);
  std::string id = body(list)["app_passwords"][0]["id"];
  EXPECT_EQ(send("DELETE", "/api/v1/me/app-passwords/" + id, &c).status, 204);
  EXPECT_EQ(send("DELETE", "/api/v1/me/app-passwords/" + id, &c).status, 404);
  EXPECT_FALSE(login("alice@example.test", text).ok);
  EXPECT_EQ(code(send("POST", "/api/v1/me/app-passwords", &c, R"({"name":"x","protocols":["web"]})")),
            "bad_request");
  auto events = body(send("GET", "/api/v1/me/events", &c))["events"];
  EXPECT_EQ(events[0]["action"], "app_password.revoke");
}

TEST_F(ApiTest, ApiKeysWorkUntilExpiredOrRevoked) {
  Client c = sign_in();
  enter_sudo(c);
  auto admin = send("POST", "/api/v1/me/api-keys", &c, R"({"name":"x","grants":["appliance-admin"]})");
  EXPECT_EQ(code(admin), "forbidden");
  auto made = send("POST", "/api/v1/me/api-keys", &c,
                   json{{"name", "ci"}, {"grants", {"user"}}, {"expires", clock_.unix_seconds() + 3600}}
                       .dump());
  ASSERT_EQ(made.status, 201) << made.body;
  std::string key = body(made)["key"], id = body(made)["id"];
  auto me = bearer("GET", "/api/v1/me", key);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(body(me)["address"], "alice@example.test");
  // No cookie, no CSRF token: a bearer request may change what its route allows.
  EXPECT_EQ(bearer("POST", "/api/v1/me/api-keys", key, R"({"name":"y","grants":["user"]})").status,
            403);
  EXPECT_EQ(bearer("POST", "/api/v1/session/sudo", key, R"({"password":"x"})").status, 403);
  clock_.advance(std::chrono::hours(1));
  EXPECT_EQ(code(bearer("GET", "/api/v1/me", key)), "unauthorized");

  Client d = sign_in();
  enter_sudo(d);
  auto other = send("POST", "/api/v1/me/api-keys", &d, R"({"name":"ci","grants":["user"]})");
  std::string key2 = body(other)["key"], id2 = body(other)["id"];
  EXPECT_EQ(bearer("GET", "/api/v1/me/logins", key2).status, 200);
  EXPECT_EQ(send("DELETE", "/api/v1/me/api-keys/" + id2, &d).status, 204);
  EXPECT_EQ(bearer("GET", "/api/v1/me", key2).status, 401);
  EXPECT_EQ(bearer("GET", "/api/v1/me", "ak_nonsense").status, 401);
}

TEST_F(ApiTest, BadInputIsA4xxWithAJsonError) {
  Client c = sign_in();
  for (const char* bad : {"", "{", "[1,2]", "{\"name\":", "{\"name\":\"x\",\"protocols\":\"imap\"}",
                          "{\"name\":1,\"protocols\":[\"imap\"]}", "\x01\x02",
                          "{\"name\":\"x\",\"protocols\":[\"imap\"],\"expires\":\"soon\"}"}) {
    auto r = send("POST", "/api/v1/me/app-passwords", &c, bad);
    EXPECT_TRUE(r.status == 400 || (r.status == 415 && !*bad)) << bad;
    EXPECT_TRUE(body(r)["error"]["message"].is_string()) << bad;
  }
  std::string deep = std::string(40, '[') + std::string(40, ']');
  EXPECT_EQ(code(send("POST", "/api/v1/session", nullptr, "{\"a\":" + deep + "}")), "bad_json");
  EXPECT_EQ(send("PUT", "/api/v1/me", &c).status, 405);
  EXPECT_EQ(send("GET", "/api/v1/nothing", &c).status, 404);
  HttpRequest form{"POST", "/api/v1/session", "mail.example.test", "address=a", {}, "192.0.2.5"};
  form.headers = {{"origin", "https://mail.example.test"},
                  {"content-type", "application/x-www-form-urlencoded"}};
  EXPECT_EQ(handle_api(form, *parts_).status, 415);
}

TEST_F(ApiTest, AUserAgentThatIsNotUtf8IsListedNotThrownOn) {
  HttpRequest r{"POST", "/api/v1/session", "mail.example.test",
                R"({"address":"alice@example.test","password":"long enough password"})", {},
                "192.0.2.5"};
  r.headers = {{"user-agent", "bad \xff\xfe agent"},
               {"content-type", "application/json"},
               {"origin", "https://mail.example.test"}};
  auto signed_in = handle_api(r, *parts_);
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  Client c;
  adopt(c, signed_in);
  auto logins = send("GET", "/api/v1/me/logins", &c);
  EXPECT_EQ(logins.status, 200);
  EXPECT_NE(logins.body.find("bad \xef\xbf\xbd"), std::string::npos);
  EXPECT_EQ(send("GET", "/api/v1/me/events", &c).status, 200);
}

TEST_F(ApiTest, ContactAddressNeedsSudoAndTheCodeMailedToIt) {
  Client c = sign_in();
  const std::string to = R"({"address":"Alice@Elsewhere.test"})";
  EXPECT_EQ(code(send("POST", "/api/v1/me/email", &c, to)), "sudo_required");
  enter_sudo(c);
  EXPECT_EQ(code(send("POST", "/api/v1/me/email", &c, R"({"address":"not an address"})")),
            "bad_address");
  auto own = send("POST", "/api/v1/me/email", &c, R"({"address":"bob@example.test"})");
  EXPECT_EQ(code(own), "bad_address");  // a domain of this appliance
  EXPECT_NE(body(own)["error"]["message"].get<std::string>().find("outside"), std::string::npos);
  auto asked = send("POST", "/api/v1/me/email", &c, to);
  ASSERT_EQ(asked.status, 202) << asked.body;
  EXPECT_EQ(body(asked)["address"], "alice@elsewhere.test");

  auto mails = queued_to("alice@elsewhere.test");
  ASSERT_EQ(mails.size(), 1u);
  std::string code_text = mailed_code("alice@elsewhere.test");
  EXPECT_EQ(code_text.size(), 29u) << mails[0];
  EXPECT_EQ(mails[0].find("://"), std::string::npos);  // no link
  EXPECT_NE(mails[0].find("never asks for your password"), std::string::npos);
  auto me = body(send("GET", "/api/v1/me", &c));
  EXPECT_EQ(me["contact_email"], "");
  EXPECT_EQ(me["contact_pending"], "alice@elsewhere.test");

  auto wrong =
      send("POST", "/api/v1/me/email/confirm", &c, R"({"token":"aaaaa-aaaaa-aaaaa-aaaaa-aaaaa"})");
  EXPECT_EQ(code(wrong), "wrong_token");
  EXPECT_EQ(code(send("POST", "/api/v1/me/email/confirm", &c, R"({"token":"short"})")),
            "wrong_token");
  std::string upper = code_text;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(ch));
  auto ok = send("POST", "/api/v1/me/email/confirm", &c, json{{"token", upper}}.dump());
  ASSERT_EQ(ok.status, 204) << ok.body;
  auto again = send("POST", "/api/v1/me/email/confirm", &c, json{{"token", code_text}}.dump());
  EXPECT_EQ(code(again), "token_used");
  me = body(send("GET", "/api/v1/me", &c));
  EXPECT_EQ(me["contact_email"], "alice@elsewhere.test");
  EXPECT_EQ(me["contact_pending"], "");
  auto a = actions();
  EXPECT_EQ(a[0], "email.change");
  EXPECT_EQ(a[1], "email.change_request");
  auto notices = inbox();
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_NE(notices[0].find("contact address of your mail account alice@example.test was set to "
                            "alice@elsewhere.test"),
            std::string::npos)
      << notices[0];
  EXPECT_EQ(notices[0].find("://"), std::string::npos);
}

TEST_F(ApiTest, ContactCodeExpiresAfterThirtyMinutesAndNeedsARequest) {
  Client c = sign_in();
  EXPECT_EQ(code(send("POST", "/api/v1/me/email/confirm", &c,
                      R"({"token":"aaaaa-aaaaa-aaaaa-aaaaa-aaaaa"})")),
            "no_request");
  enter_sudo(c);
  ASSERT_EQ(send("POST", "/api/v1/me/email", &c, R"({"address":"a@elsewhere.test"})").status, 202);
  clock_.advance(std::chrono::minutes(29));
  EXPECT_EQ(send("GET", "/api/v1/me", &c).status, 200);  // the session stays; the code will not
  clock_.advance(std::chrono::minutes(1));
  auto late = send("POST", "/api/v1/me/email/confirm", &c,
                   json{{"token", mailed_code("a@elsewhere.test")}}.dump());
  EXPECT_EQ(code(late), "token_expired");
  EXPECT_EQ(body(send("GET", "/api/v1/me", &c))["contact_email"], "");
}

TEST_F(ApiTest, ResetRequestsAnswerAlikeForEveryAddress) {
  add_account("bob@example.test", "long enough password");  // no contact address
  ASSERT_TRUE(accounts_->set_contact_email("alice@example.test", "alice@elsewhere.test", "test"));
  std::vector<HttpResponse> answers;
  std::vector<int> keyd;
  for (const char* who :
       {"alice@example.test", "bob@example.test", "nobody@example.test", "someone@other.test"}) {
    int before = keys_.calls;
    answers.push_back(
        send("POST", "/api/v1/password-reset", nullptr, json{{"address", who}}.dump()));
    keyd.push_back(keys_.calls - before);
  }
  for (const auto& a : answers) {
    EXPECT_EQ(a.status, 202) << a.body;
    EXPECT_EQ(a.body, answers[0].body);
    EXPECT_EQ(a.headers, answers[0].headers);
  }
  EXPECT_EQ(keyd, std::vector<int>(4, 1));  // one HMAC each, mail or not
  EXPECT_EQ(queued_to("alice@elsewhere.test").size(), 1u);
  EXPECT_EQ(tenant().queue().entries().value().size(), 1u);
  // From another site: refused like a sign-in.
  EXPECT_EQ(code(send("POST", "/api/v1/password-reset", nullptr,
                      R"({"address":"alice@example.test"})", false)),
            "csrf");
}

TEST_F(ApiTest, ResetRequestsAreThrottledPerAddressAndSource) {
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(
        send("POST", "/api/v1/password-reset", nullptr, R"({"address":"nobody@example.test"})")
            .status,
        202);
  auto held =
      send("POST", "/api/v1/password-reset", nullptr, R"({"address":"nobody@example.test"})");
  EXPECT_EQ(held.status, 429);
  EXPECT_EQ(header(held, "Retry-After"), "60");
}

TEST_F(ApiTest, ResetSetsThePasswordOnceAndEndsEverySession) {
  ASSERT_TRUE(accounts_->set_contact_email("alice@example.test", "alice@elsewhere.test", "test"));
  Client c = sign_in();
  ASSERT_EQ(
      send("POST", "/api/v1/password-reset", nullptr, R"({"address":"alice@example.test"})").status,
      202);
  std::string token = mailed_code("alice@elsewhere.test");
  ASSERT_FALSE(token.empty());
  auto mail = queued_to("alice@elsewhere.test").back();
  EXPECT_NE(mail.find("Subject: Code to reset your mail password"), std::string::npos);
  EXPECT_EQ(mail.find("://"), std::string::npos);

  EXPECT_EQ(code(reset("bbbbb-bbbbb-bbbbb-bbbbb-bbbbb", "a new long password")), "wrong_token");
  EXPECT_EQ(code(reset(token, "short")), "weak_password");
  auto done = reset(token, "a new long password");
  ASSERT_EQ(done.status, 204) << done.body;
  EXPECT_EQ(code(reset(token, "another new password")), "token_used");

  EXPECT_EQ(code(send("GET", "/api/v1/me", &c)), "not_signed_in");  // every session ended
  EXPECT_FALSE(login("alice@example.test", "long enough password").ok);
  EXPECT_TRUE(login("alice@example.test", "a new long password").ok);
  auto a = actions();
  EXPECT_NE(std::find(a.begin(), a.end(), "password.reset"), a.end());
  EXPECT_NE(std::find(a.begin(), a.end(), "password.reset_request"), a.end());
  // The notices: in the INBOX and to the contact address.
  auto notices = inbox();
  auto told = std::find_if(notices.begin(), notices.end(), [](const std::string& m) {
    return m.find("was changed with a reset code sent by mail") != std::string::npos;
  });
  ASSERT_NE(told, notices.end());
  EXPECT_NE(told->find("Address:  192.0.2.5"), std::string::npos) << *told;
  EXPECT_NE(queued_to("alice@elsewhere.test").back().find("Subject: The password of your mail"),
            std::string::npos);
}

TEST_F(ApiTest, ResetCodesExpireAndAreBoundToTheContactAddress) {
  ASSERT_TRUE(accounts_->set_contact_email("alice@example.test", "alice@elsewhere.test", "test"));
  send("POST", "/api/v1/password-reset", nullptr, R"({"address":"alice@example.test"})");
  std::string token = mailed_code("alice@elsewhere.test");
  clock_.advance(std::chrono::minutes(31));
  EXPECT_EQ(code(reset(token, "a new long password")), "token_expired");
  send("POST", "/api/v1/password-reset", nullptr, R"({"address":"alice@example.test"})");
  token = mailed_code("alice@elsewhere.test");
  // The contact address changed since: the code was for the old one.
  ASSERT_TRUE(accounts_->set_contact_email("alice@example.test", "alice@third.test", "test"));
  EXPECT_EQ(code(reset(token, "a new long password")), "wrong_token");
  EXPECT_TRUE(login("alice@example.test", "long enough password").ok);
}

TEST_F(ApiTest, ResetNeedsTheSecondFactorWhenTotpIsOn) {
  Client c = sign_in();
  std::string secret = body(send("POST", "/api/v1/me/totp", &c))["secret"];
  ASSERT_EQ(
      send("POST", "/api/v1/me/totp/confirm", &c, json{{"code", totp_now(secret)}}.dump()).status,
      200);
  ASSERT_TRUE(accounts_->set_contact_email("alice@example.test", "alice@elsewhere.test", "test"));
  send("POST", "/api/v1/password-reset", nullptr, R"({"address":"alice@example.test"})");
  std::string token = mailed_code("alice@elsewhere.test");
  EXPECT_EQ(code(reset(token, "a new long password")), "code_required");
  EXPECT_EQ(code(reset(token, "a new long password", "000000")), "wrong_code");
  clock_.advance(std::chrono::seconds(30));
  auto done = reset(token, "a new long password", totp_now(secret));
  ASSERT_EQ(done.status, 204) << done.body;
}

TEST_F(ApiTest, PasswordChangeIsToldToTheInboxAndTheContactAddress) {
  ASSERT_TRUE(accounts_->set_contact_email("alice@example.test", "alice@elsewhere.test", "test"));
  Client c = sign_in();
  enter_sudo(c);
  ASSERT_EQ(
      send("POST", "/api/v1/me/password", &c, R"({"password":"another long password"})").status,
      204);
  auto notice = inbox().back();
  EXPECT_NE(notice.find("The password of your mail account alice@example.test was changed.\r\n"),
            std::string::npos)
      << notice;
  EXPECT_NE(notice.find("Address:  192.0.2.5\r\n  Program:  TestBrowser_1"), std::string::npos);
  EXPECT_EQ(notice.find("://"), std::string::npos);
  auto out = queued_to("alice@elsewhere.test");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NE(out[0].find("To: <alice@elsewhere.test>"), std::string::npos);
}

TEST_F(ApiTest, ExportIsATarArchiveInSudoMode) {
  Client c = sign_in();
  EXPECT_EQ(code(send("POST", "/api/v1/me/export", &c)), "sudo_required");
  enter_sudo(c);
  {
    // Two exports may be downloaded at once; a third waits for one of them.
    HttpRequest q{"POST", "/api/v1/me/export", "mail.example.test", "", {}, "192.0.2.5"};
    q.headers = {{"origin", "https://mail.example.test"},
                 {"cookie", "__Host-session=" + c.cookie},
                 {"x-csrf-token", c.csrf}};
    auto first = handle_api(q, *parts_), second = handle_api(q, *parts_);
    ASSERT_TRUE(first.stream && second.stream);
    EXPECT_EQ(code(handle_api(q, *parts_)), "export_busy");
    // The client goes away as the mail begins: the export is on record all the same.
    auto made = first.stream([](std::string_view piece) -> Result<void> {
      if (piece.find("mail/INBOX.mbox") != std::string_view::npos) return make_error("gone");
      return {};
    });
    EXPECT_FALSE(made);
    EXPECT_EQ(actions()[0], "account.export");
  }  // the second was not run: both give their place back
  auto r = send("POST", "/api/v1/me/export", &c);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(header(r, "Content-Type"), "application/x-tar");
  EXPECT_TRUE(header(r, "Content-Disposition").starts_with("attachment; filename=\"mail-export-"));
  ASSERT_EQ(r.body.size() % 512, 0u);
  EXPECT_EQ(r.body.substr(0, 13), std::string("account.json\0", 13));
  EXPECT_EQ(r.body.substr(257, 6), std::string("ustar\0", 6));
  EXPECT_EQ(r.body.substr(r.body.size() - 1024), std::string(1024, '\0'));
  EXPECT_NE(r.body.find("mail/INBOX.mbox"), std::string::npos);
  EXPECT_EQ(actions()[0], "account.export");
}

TEST_F(ApiTest, OpenApiListsEveryRoute) {
  auto r = send("GET", "/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  json doc = body(r);
  EXPECT_EQ(doc["openapi"], "3.0.3");
  std::size_t operations = 0;
  for (const auto& [path, methods] : doc["paths"].items()) operations += methods.size();
  EXPECT_EQ(operations, routes().size());
  for (const Route& route : routes()) {
    std::string method(route.method);
    for (char& ch : method) ch = static_cast<char>(std::tolower(ch));
    EXPECT_TRUE(doc["paths"][std::string(route.path)].contains(method)) << route.path;
  }
}

}  // namespace
}  // namespace appliance::webd
