// NAME
//   admin_test.cpp - /api/v1/admin without sockets: who may read and change
//   what, over every route of the table; bad input; the logs as CSV.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "common/counters_report.h"
#include "common/health_report.h"
#include "common/update_status.h"
#include "webd/admin_csv.h"
#include "webd/api.h"
#include "webd/http.h"
#include "webd/prometheus.h"
#include "webd/testing/web_test.h"

namespace appliance::webd {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "long enough password";

// One signed-in browser (session id and CSRF token), or an API key.
struct Caller {
  std::string cookie, csrf, key;
};

class AdminTest : public testing::WebTest {
 protected:
  void SetUp() override {
    WebTest::SetUp();
    auto globex = store_->create_tenant("globex").value();
    ASSERT_TRUE(store_->add_domain(globex.id, "other.test").ok());
    globex_ = globex.id;
    for (auto [address, role] : {std::pair{"root@example.test", store::Role::appliance_admin},
                                 {"boss@example.test", store::Role::tenant_admin},
                                 {"audit@example.test", store::Role::auditor},
                                 {"alice@example.test", store::Role::user}}) {
      add_account(address, kPassword);
      ASSERT_TRUE(accounts_->set_role(address, role, "test").ok());
    }
    auto other = store_->tenant(globex_).value();
    for (auto [address, role] : {std::pair{"gboss@other.test", store::Role::tenant_admin},
                                 {"bob@other.test", store::Role::user}}) {
      ASSERT_TRUE(other->create_account(address).ok());
      ASSERT_TRUE(accounts_->set_password(address, Secret(kPassword), "test").ok());
      ASSERT_TRUE(accounts_->set_role(address, role, "test").ok());
    }
    ASSERT_TRUE(accounts_->add_alias("team@other.test", "bob@other.test", "test").ok());
    ASSERT_TRUE(accounts_->add_alias("team@example.test", "alice@example.test", "test").ok());
    acme_entry_ = enqueue(tenant_, "alice@example.test", "carol@remote.test");
    globex_entry_ = enqueue(globex_, "bob@other.test", "dan@remote.test");
  }
  // A message queued by `sender` for `to`; its TENANT.ENTRY name.
  std::string enqueue(store::Id tenant, const std::string& sender, const std::string& to,
                      std::int64_t created = 1000) {
    auto ts = store_->tenant(tenant).value();
    auto account = ts->find_account(sender).value();
    auto blob = ts->new_blob(account.id).value();
    EXPECT_TRUE(blob->write("Subject: secret body\r\n\r\nthe body stays sealed\r\n").ok());
    auto e = ts->queue().enqueue(std::move(blob), {account.id, sender, {to}, created, false});
    EXPECT_TRUE(e.ok()) << e.message();
    return std::to_string(tenant) + "." + std::to_string(e ? e->id : 0);
  }
  HttpResponse call(const Caller& who, const std::string& method, const std::string& target,
                    const json& body = nullptr) {
    HttpRequest r{method, target,     "mail.example.test", body.is_null() ? "" : body.dump(),
                  {},     "192.0.2.7"};
    if (!r.body.empty()) r.headers.emplace_back("content-type", "application/json");
    if (!who.key.empty()) {
      r.headers.emplace_back("authorization", "Bearer " + who.key);
    } else {
      r.headers.emplace_back("origin", "https://mail.example.test");
      r.headers.emplace_back("cookie", "__Host-session=" + who.cookie);
      if (!who.csrf.empty()) r.headers.emplace_back("x-csrf-token", who.csrf);
    }
    return handle_api(r, *parts_);
  }
  // Signed in, and in sudo mode unless told otherwise.
  Caller as(const std::string& address, bool sudo = true) {
    Caller c;
    auto r = call(c, "POST", "/api/v1/session", {{"address", address}, {"password", kPassword}});
    EXPECT_EQ(r.status, 200) << address << ": " << r.body;
    for (const auto& [name, value] : r.headers)
      if (name == "Set-Cookie") c.cookie = value.substr(15, value.find(';') - 15);
    c.csrf = json::parse(r.body)["csrf_token"];
    if (sudo) {
      EXPECT_EQ(call(c, "POST", "/api/v1/session/sudo", {{"password", kPassword}}).status, 200);
    }
    return c;
  }
  Caller key_of(const std::string& address, const std::vector<std::string>& grants) {
    auto made =
        api_keys_->create(address, "ci", auth::parse_grants(join(grants)).value(), {}, "test");
    EXPECT_TRUE(made.ok()) << made.message();
    Caller c;
    if (made) c.key = std::string(made->text.reveal());
    return c;
  }
  static std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ",") + p;
    return out;
  }
  static std::string code(const HttpResponse& r) {
    auto j = json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"]["code"].get<std::string>() : "";
  }
  std::size_t events() { return store_->logs().events(0, 100000).value().size(); }

  // A request for each admin route: its path with an object of tenant `acme`
  // (or globex with `other`) in the "{...}" segment, and a body it would take.
  std::string target_of(const Route& r, bool other) const {
    std::string path(r.path);
    auto open = path.find('{');
    if (open == std::string::npos) return path;
    std::string name = path.substr(open + 1, path.find('}') - open - 1);
    std::map<std::string, std::string> value = {
        {"name", std::string(r.path).find("tenants") != std::string::npos
                     ? (other ? "globex" : "acme")
                     : (other ? "other.test" : "example.test")},
        {"address", std::string(r.path).find("aliases") != std::string::npos
                        ? (other ? "team@other.test" : "team@example.test")
                        : (other ? "bob@other.test" : "alice@example.test")},
        {"id", other ? globex_entry_ : acme_entry_}};
    return path.substr(0, open) + value[name] + path.substr(path.find('}') + 1);
  }
  static json body_of(const Route& r, bool other) {
    std::string path(r.path);
    std::string d = other ? "other.test" : "example.test";
    if (!r.body) return nullptr;
    if (path.ends_with("tenants")) return {{"name", "initech"}};
    if (path.ends_with("domains"))
      return {{"name", "new.test"}, {"tenant", other ? "globex" : "acme"}};
    if (path.ends_with("accounts")) return {{"address", "new@" + d}};
    if (path.ends_with("aliases"))
      return {{"address", "list@" + d},
              {"account", other ? "bob@other.test" : "alice@example.test"}};
    return {{"quota", "1G"}};
  }
  // The keys routes are appliance-wide and answered by keyd: tested apart.
  static bool key_route(const Route& r) {
    return r.path.starts_with("/api/v1/admin/keys") || r.path.starts_with("/api/v1/admin/dkim");
  }
  static std::vector<Route> admin_routes(bool changes) {
    std::vector<Route> out;
    for (const Route& r : routes())
      if (r.path.starts_with("/api/v1/admin/") && !key_route(r) && (r.method != "GET") == changes)
        out.push_back(r);
    return out;
  }
  static std::vector<Route> key_routes() {
    std::vector<Route> out;
    for (const Route& r : routes())
      if (key_route(r)) out.push_back(r);
    return out;
  }
  static std::string key_target(const Route& r) {
    std::string path(r.path);
    auto open = path.find('{');
    if (open == std::string::npos) return path;
    std::string value =
        path.find("dkim") != std::string::npos ? "example.test" : "tls%2Fmail.example.test%2Fv1";
    return path.substr(0, open) + value + path.substr(path.find('}') + 1);
  }

  store::Id globex_ = 0;
  std::string acme_entry_, globex_entry_;
};

TEST_F(AdminTest, TheTableHasReadAndChangeRoutes) {
  EXPECT_GE(admin_routes(false).size(), 6u);
  EXPECT_GE(admin_routes(true).size(), 8u);
}

TEST_F(AdminTest, AnAuditorCannotChangeAnything) {
  Caller auditor = as("audit@example.test");
  Caller key = key_of("audit@example.test", {"auditor"});
  std::size_t before = events();
  for (const Route& r : admin_routes(true))
    for (bool other : {false, true})
      for (const Caller* who : {&auditor, &key}) {
        auto res = call(*who, std::string(r.method), target_of(r, other), body_of(r, other));
        EXPECT_EQ(res.status, 403) << r.method << " " << r.path << ": " << res.body;
        EXPECT_EQ(code(res), "forbidden") << r.path;
      }
  EXPECT_EQ(events(), before);
  // It reads everything.
  for (const Route& r : admin_routes(false))
    for (bool other : {false, true})
      EXPECT_EQ(call(auditor, "GET", target_of(r, other)).status, 200) << r.path;
  EXPECT_NE(call(key, "GET", "/api/v1/admin/logins").status, 403);
}

TEST_F(AdminTest, AUserHasNoPartHere) {
  Caller user = as("alice@example.test");
  Caller key = key_of("alice@example.test", {"user"});
  for (bool changes : {false, true})
    for (const Route& r : admin_routes(changes))
      for (const Caller* who : {&user, &key}) {
        auto res = call(*who, std::string(r.method), target_of(r, false), body_of(r, false));
        EXPECT_EQ(res.status, 403) << r.method << " " << r.path;
        EXPECT_EQ(code(res), "forbidden") << r.path;
      }
}

TEST_F(AdminTest, ATenantAdminCannotSeeAnotherTenant) {
  Caller boss = as("boss@example.test");
  for (const Route& r : admin_routes(false)) {
    if (r.path.ends_with("/status")) {  // every tenant's figures: not a tenant admin's
      EXPECT_EQ(code(call(boss, "GET", target_of(r, false))), "forbidden");
      continue;
    }
    auto own = call(boss, "GET", target_of(r, false));
    EXPECT_EQ(own.status, 200) << r.path << ": " << own.body;
    auto res = call(boss, "GET", target_of(r, true));
    if (r.path.find('{') != std::string_view::npos) {
      EXPECT_EQ(res.status, 404) << r.path;
      continue;
    }
    ASSERT_EQ(res.status, 200) << r.path;
    for (const char* foreign : {"other.test", "globex", "bob@", "gboss@"})
      EXPECT_EQ(res.body.find(foreign), std::string::npos) << r.path << " shows " << foreign;
  }
  EXPECT_NE(call(boss, "GET", "/api/v1/admin/accounts").body.find("alice@example.test"),
            std::string::npos);
  // Changes to another tenant's objects: as if they did not exist (or appliance admin only).
  std::size_t before = events();
  for (const Route& r : admin_routes(true)) {
    auto res = call(boss, std::string(r.method), target_of(r, true), body_of(r, true));
    EXPECT_TRUE(res.status == 404 || (res.status == 403 && code(res) == "forbidden"))
        << r.method << " " << r.path << ": " << res.status;
    if (res.status == 403) {
      EXPECT_EQ(res.body.find("other.test"), std::string::npos);
    }
  }
  EXPECT_EQ(events(), before);
  EXPECT_EQ(call(boss, "GET", "/api/v1/admin/accounts/nobody@example.test").status, 404);
}

TEST_F(AdminTest, ATenantAdminManagesItsOwnTenantWithinItsRole) {
  Caller boss = as("boss@example.test");
  auto made =
      call(boss, "POST", "/api/v1/admin/accounts",
           {{"address", "Carol@Example.test"}, {"quota", "500M"}, {"role", "tenant-admin"}});
  ASSERT_EQ(made.status, 201) << made.body;
  json m = json::parse(made.body);
  EXPECT_EQ(m["address"], "carol@example.test");
  EXPECT_EQ(m["quota"], 500u << 20);
  EXPECT_EQ(m["tenant"], "acme");
  std::string password = m["password"];
  EXPECT_TRUE(login("carol@example.test", password).ok);
  EXPECT_EQ(call(boss, "GET", "/api/v1/admin/accounts/carol%40example.test").body.find(password),
            std::string::npos);
  EXPECT_EQ(code(call(boss, "POST", "/api/v1/admin/accounts",
                      {{"address", "dave@example.test"}, {"role", "appliance-admin"}})),
            "forbidden");
  EXPECT_EQ(code(call(boss, "PATCH", "/api/v1/admin/accounts/root@example.test", {{"quota", 1}})),
            "forbidden");
  EXPECT_EQ(code(call(boss, "POST", "/api/v1/admin/tenants", {{"name", "x"}})), "forbidden");
  EXPECT_EQ(code(call(boss, "POST", "/api/v1/admin/accounts", {{"address", "carol@example.test"}})),
            "conflict");
  auto events = store_->web().events_about("carol@example.test", 10).value();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().action, "admin.account_create");
  EXPECT_EQ(events.back().actor, "boss@example.test");
}

TEST_F(AdminTest, AnApplianceAdminManagesEverything) {
  Caller root = as("root@example.test");
  EXPECT_EQ(call(root, "POST", "/api/v1/admin/tenants", {{"name", "initech"}}).status, 201);
  EXPECT_EQ(code(call(root, "POST", "/api/v1/admin/tenants", {{"name", "initech"}})), "conflict");
  auto d =
      call(root, "POST", "/api/v1/admin/domains", {{"name", "Init.Test"}, {"tenant", "initech"}});
  ASSERT_EQ(d.status, 201) << d.body;
  auto a = call(root, "POST", "/api/v1/admin/accounts",
                {{"address", "pat@init.test"}, {"password", "a long chosen password"}});
  ASSERT_EQ(a.status, 201) << a.body;
  EXPECT_FALSE(json::parse(a.body).contains("password"));
  EXPECT_TRUE(login("pat@init.test", "a long chosen password").ok);
  auto mailboxes = store_->tenant(store_->find_domain("init.test")->tenant).value();
  auto pat = mailboxes->find_account("pat@init.test").value();
  EXPECT_EQ(mailboxes->mailboxes(pat.id).value().size(), 6u);

  EXPECT_EQ(call(root, "POST", "/api/v1/admin/aliases",
                 {{"address", "sales@init.test"}, {"account", "pat@init.test"}})
                .status,
            201);
  EXPECT_EQ(call(root, "POST", "/api/v1/admin/aliases",
                 {{"address", "@init.test"}, {"account", "pat@init.test"}})
                .status,
            201);
  EXPECT_EQ(directory_->resolve("anyone@init.test").value().recipients.size(), 1u);
  EXPECT_EQ(code(call(root, "DELETE", "/api/v1/admin/domains/init.test")), "conflict");
  EXPECT_EQ(code(call(root, "DELETE", "/api/v1/admin/tenants/initech")), "conflict");
  EXPECT_EQ(call(root, "DELETE", "/api/v1/admin/aliases/@init.test").status, 204);
  EXPECT_EQ(call(root, "DELETE", "/api/v1/admin/aliases/sales%40init.test").status, 204);
  EXPECT_EQ(call(root, "DELETE", "/api/v1/admin/aliases/sales@init.test").status, 404);

  auto p = call(root, "PATCH", "/api/v1/admin/accounts/pat@init.test",
                {{"state", "disabled"}, {"role", "auditor"}, {"quota", 1000}});
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_EQ(json::parse(p.body)["state"], "locked");
  EXPECT_FALSE(login("pat@init.test", "a long chosen password").ok);
  EXPECT_EQ(call(root, "DELETE", "/api/v1/admin/accounts/pat@init.test").status, 204);
  EXPECT_EQ(json::parse(call(root, "GET", "/api/v1/admin/accounts/pat@init.test").body)["state"],
            "closed");
  auto about = store_->web().events_about("pat@init.test", 20).value();
  std::vector<std::string> actions;
  for (const auto& e : about) {
    if (e.action.starts_with("login.")) continue;  // pat's own sign-in
    EXPECT_EQ(e.actor, "root@example.test") << e.action;
    actions.push_back(e.action);
  }
  for (const char* action : {"admin.account_create", "password.change", "account.locked",
                             "account.role", "account.quota", "account.closed"})
    EXPECT_NE(std::find(actions.begin(), actions.end(), action), actions.end()) << action;
}

TEST_F(AdminTest, ATenantGoesOnlyOnceItsDomainsHave) {
  Caller root = as("root@example.test");
  ASSERT_EQ(call(root, "POST", "/api/v1/admin/tenants", {{"name", "initech"}}).status, 201);
  ASSERT_EQ(
      call(root, "POST", "/api/v1/admin/domains", {{"name", "init.test"}, {"tenant", "initech"}})
          .status,
      201);
  auto busy = call(root, "DELETE", "/api/v1/admin/tenants/initech");
  EXPECT_EQ(code(busy), "conflict");
  EXPECT_NE(busy.body.find("init.test"), std::string::npos);
  EXPECT_EQ(call(root, "DELETE", "/api/v1/admin/domains/init.test").status, 204);
  EXPECT_EQ(call(root, "DELETE", "/api/v1/admin/tenants/initech").status, 204);
  EXPECT_EQ(call(root, "DELETE", "/api/v1/admin/tenants/initech").status, 404);
  EXPECT_EQ(call(root, "GET", "/api/v1/admin/tenants").body.find("initech"), std::string::npos);
  auto events = store_->web().events_about("initech", 5).value();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().action, "admin.tenant_remove");
  EXPECT_EQ(events.front().actor, "root@example.test");
}

TEST_F(AdminTest, ChangesNeedSudoModeAndTheCsrfToken) {
  Caller root = as("root@example.test", false);
  auto r = call(root, "POST", "/api/v1/admin/tenants", {{"name", "initech"}});
  EXPECT_EQ(code(r), "sudo_required");
  EXPECT_EQ(call(root, "GET", "/api/v1/admin/tenants").status, 200);
  Caller sudo = as("root@example.test");
  Caller no_token{sudo.cookie, "", ""};
  EXPECT_EQ(code(call(no_token, "POST", "/api/v1/admin/tenants", {{"name", "initech"}})), "csrf");
}

TEST_F(AdminTest, ApiKeysActWithTheGrantsTheyCarryAndTheirAccountStillHolds) {
  Caller auditor_key = key_of("root@example.test", {"auditor"});
  EXPECT_EQ(call(auditor_key, "GET", "/api/v1/admin/events").status, 200);
  EXPECT_EQ(code(call(auditor_key, "POST", "/api/v1/admin/tenants", {{"name", "x"}})), "forbidden");
  Caller admin_key = key_of("root@example.test", {"appliance-admin"});
  EXPECT_EQ(call(admin_key, "POST", "/api/v1/admin/tenants", {{"name", "initech"}}).status, 201);
  auto events = store_->web().events_about("initech", 1).value();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].actor.starts_with("api:"));
  // Made a user since: the key's admin grant is no longer held.
  ASSERT_TRUE(accounts_->set_role("root@example.test", store::Role::user, "test").ok());
  EXPECT_EQ(code(call(admin_key, "GET", "/api/v1/admin/tenants")), "forbidden");
}

TEST_F(AdminTest, BadInputIsA400NamingTheField) {
  Caller root = as("root@example.test");
  struct Case {
    const char* method;
    const char* path;
    json body;
    const char* field;
  };
  const Case cases[] = {
      {"POST", "/api/v1/admin/tenants", json::object(), "name"},
      {"POST", "/api/v1/admin/tenants", {{"name", std::string(65, 'x')}}, "name"},
      {"POST", "/api/v1/admin/tenants", {{"name", "a\nb"}}, "name"},
      {"POST", "/api/v1/admin/domains", {{"name", "not a domain"}, {"tenant", "acme"}}, "name"},
      {"POST", "/api/v1/admin/domains", {{"name", "x.test"}, {"tenant", "nobody"}}, "tenant"},
      {"POST", "/api/v1/admin/domains", {{"name", 5}, {"tenant", "acme"}}, "name"},
      {"POST", "/api/v1/admin/accounts", {{"address", "no at sign"}}, "address"},
      {"POST",
       "/api/v1/admin/accounts",
       {{"address", "x@example.test"}, {"quota", "lots"}},
       "quota"},
      {"POST", "/api/v1/admin/accounts", {{"address", "x@example.test"}, {"quota", -1}}, "quota"},
      {"POST", "/api/v1/admin/accounts", {{"address", "x@example.test"}, {"role", "god"}}, "role"},
      {"POST",
       "/api/v1/admin/accounts",
       {{"address", "x@example.test"}, {"password", 12}},
       "password"},
      {"PATCH", "/api/v1/admin/accounts/alice@example.test", {{"state", "gone"}}, "state"},
      {"PATCH",
       "/api/v1/admin/accounts/alice@example.test",
       {{"reset_two_factor", "yes"}},
       "reset_two_factor"},
      {"POST",
       "/api/v1/admin/aliases",
       {{"address", "@"}, {"account", "alice@example.test"}},
       "address"},
      {"POST", "/api/v1/admin/aliases", {{"address", "x@example.test"}}, "account"},
      {"POST",
       "/api/v1/admin/aliases",
       {{"address", "x@example.test"}, {"account", "bob@other.test"}},
       "account"},
  };
  std::size_t before = events();
  for (const Case& c : cases) {
    auto r = call(root, c.method, c.path, c.body);
    EXPECT_EQ(r.status, 400) << c.path << " " << c.body.dump() << ": " << r.body;
    EXPECT_NE(r.body.find(std::string("\\\"") + c.field + "\\\""), std::string::npos)
        << c.body.dump() << ": " << r.body;
  }
  auto weak = call(root, "POST", "/api/v1/admin/accounts",
                   {{"address", "x@example.test"}, {"password", "short"}});
  EXPECT_EQ(code(weak), "weak_password");
  EXPECT_FALSE(store_->tenant(tenant_).value()->find_account("x@example.test"));
  EXPECT_EQ(events(), before);
  // Not JSON, not an object, a bad query: 400 too, never a 5xx.
  HttpRequest raw{"POST",     "/api/v1/admin/accounts", "mail.example.test", "{\"address\":", {},
                  "192.0.2.7"};
  raw.headers = {{"content-type", "application/json"},
                 {"origin", "https://mail.example.test"},
                 {"cookie", "__Host-session=" + root.cookie},
                 {"x-csrf-token", root.csrf}};
  EXPECT_EQ(code(handle_api(raw, *parts_)), "bad_json");
  for (const char* q :
       {"limit=0", "limit=1001", "limit=x", "since=-1", "until=1e3", "format=xml", "account=%zz"}) {
    auto r = call(root, "GET", std::string("/api/v1/admin/logins?") + q);
    EXPECT_EQ(r.status, 400) << q;
  }
  EXPECT_EQ(call(root, "GET", "/api/v1/admin/accounts/%zz").status, 404);
}

TEST_F(AdminTest, LogsAreFilteredAndExportedAsCsvThatCannotRun) {
  login("alice@example.test", kPassword, auth::imap, "192.0.2.10", "=cmd|' /C calc'!A0");
  clock_.advance(std::chrono::minutes(1));
  login("alice@example.test", "wrong password", auth::pop3);
  login("bob@other.test", kPassword, auth::imap);
  Caller auditor = as("audit@example.test");
  auto all =
      json::parse(call(auditor, "GET", "/api/v1/admin/logins?account=alice@example.test").body);
  EXPECT_EQ(all["logins"].size(), 2u);
  auto failed = json::parse(
      call(auditor, "GET", "/api/v1/admin/logins?account=alice%40example.test&result=failed").body);
  ASSERT_EQ(failed["logins"].size(), 1u);
  EXPECT_EQ(failed["logins"][0]["protocol"], "pop3");
  auto imap = json::parse(call(auditor, "GET", "/api/v1/admin/logins?protocol=imap&limit=1").body);
  EXPECT_EQ(imap["logins"].size(), 1u);
  std::int64_t now = clock_.unix_seconds();
  auto old = json::parse(
      call(auditor, "GET", "/api/v1/admin/logins?protocol=imap&until=" + std::to_string(now - 30))
          .body);
  ASSERT_EQ(old["logins"].size(), 1u);
  EXPECT_EQ(old["logins"][0]["account"], "alice@example.test");

  auto csv = call(auditor, "GET", "/api/v1/admin/logins?format=csv&protocol=imap");
  ASSERT_EQ(csv.status, 200);
  EXPECT_TRUE(csv.body.starts_with("\"time\",\"account\",")) << csv.body;
  EXPECT_NE(csv.body.find("\"'=cmd|' /C calc'!A0\""), std::string::npos) << csv.body;
  bool csv_type = false;
  for (const auto& [n, v] : csv.headers)
    csv_type |= n == "Content-Type" && v.starts_with("text/csv");
  EXPECT_TRUE(csv_type);

  Caller boss = as("boss@example.test");
  auto own = call(boss, "GET", "/api/v1/admin/logins?format=csv").body;
  EXPECT_NE(own.find("alice@example.test"), std::string::npos);
  EXPECT_EQ(own.find("bob@other.test"), std::string::npos);
  auto events = call(boss, "GET", "/api/v1/admin/events?action=alias.add").body;
  EXPECT_NE(events.find("team@example.test"), std::string::npos);
  EXPECT_EQ(events.find("team@other.test"), std::string::npos);
  auto everything = call(auditor, "GET", "/api/v1/admin/events?action=alias.add&format=csv").body;
  EXPECT_NE(everything.find("team@other.test"), std::string::npos);
}

TEST_F(AdminTest, MarkupInNamesComesBackAsJsonOrAnAttachmentNeverAsAPage) {
  Caller root = as("root@example.test");
  const std::string markup = "<img src=x onerror=alert(1)>";
  auto made = call(root, "POST", "/api/v1/admin/tenants", {{"name", markup}});
  ASSERT_EQ(made.status, 201) << made.body;
  login("alice@example.test", kPassword, auth::imap, "192.0.2.10", markup.c_str());
  for (const char* target :
       {"/api/v1/admin/tenants", "/api/v1/admin/logins", "/api/v1/admin/logins?format=csv"}) {
    auto r = call(root, "GET", target);
    ASSERT_EQ(r.status, 200) << target;
    EXPECT_NE(r.body.find(markup), std::string::npos) << target;  // as data, not as a page
    std::map<std::string, std::string> h(r.headers.begin(), r.headers.end());
    bool csv = std::string(target).ends_with("csv");
    EXPECT_EQ(h["Content-Type"], csv ? "text/csv; charset=utf-8" : "application/json") << target;
    if (csv) {
      EXPECT_TRUE(h["Content-Disposition"].starts_with("attachment;"));
    }
  }
}

TEST(AdminCsv, FieldsAreQuotedAndFormulasDefused) {
  EXPECT_EQ(csv_field("plain"), "\"plain\"");
  EXPECT_EQ(csv_field("say \"hi\", then"), "\"say \"\"hi\"\", then\"");
  EXPECT_EQ(csv_field("line\r\nbreak"), "\"line\r\nbreak\"");
  for (const char* formula : {"=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"})
    EXPECT_EQ(csv_field(formula), "\"'" + std::string(formula) + "\"") << formula;
  EXPECT_EQ(csv_field(""), "\"\"");
  EXPECT_EQ(csv_row({"a", "=b"}), "\"a\",\"'=b\"\r\n");
}

TEST_F(AdminTest, TheQueueIsListedFilteredAndShownWithoutABody) {
  Caller root = as("root@example.test");
  auto all = call(root, "GET", "/api/v1/admin/queue");
  ASSERT_EQ(all.status, 200) << all.body;
  json entries = json::parse(all.body)["entries"];
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0]["id"], acme_entry_);
  EXPECT_EQ(entries[0]["tenant"], "acme");
  EXPECT_EQ(entries[0]["state"], "queued");
  EXPECT_EQ(entries[0]["pending"], 1);
  EXPECT_EQ(all.body.find("body"), std::string::npos) << "a message body in the list";
  auto by = [&](const std::string& query) {
    return json::parse(call(root, "GET", "/api/v1/admin/queue?" + query).body)["entries"].size();
  };
  EXPECT_EQ(by("sender=BOB%40other"), 1u);
  EXPECT_EQ(by("recipient=carol"), 1u);
  EXPECT_EQ(by("state=held"), 0u);
  EXPECT_EQ(by("limit=1"), 1u);
  for (const char* bad : {"state=frozen", "limit=0", "limit=1001", "limit=x", "sender=%zz"})
    EXPECT_EQ(code(call(root, "GET", std::string("/api/v1/admin/queue?") + bad)), "bad_request")
        << bad;

  auto one = call(root, "GET", "/api/v1/admin/queue/" + globex_entry_);
  ASSERT_EQ(one.status, 200) << one.body;
  json e = json::parse(one.body);
  EXPECT_EQ(e["sender"], "bob@other.test");
  ASSERT_EQ(e["recipients"].size(), 1u);
  EXPECT_EQ(e["recipients"][0]["address"], "dan@remote.test");
  EXPECT_EQ(e["recipients"][0]["state"], "pending");
  EXPECT_EQ(one.body.find("sealed"), std::string::npos);
  for (const char* bad : {"1", "1.", "x.1", "1.0", "-1.2", "99.1", "1.99999"})
    EXPECT_EQ(call(root, "GET", std::string("/api/v1/admin/queue/") + bad).status, 404) << bad;
}

TEST_F(AdminTest, QueueChangesAreTheCliVerbsAndSecurityEvents) {
  Caller root = as("root@example.test");
  const std::string path = "/api/v1/admin/queue/" + globex_entry_;
  auto held = call(root, "POST", path + "/hold");
  ASSERT_EQ(held.status, 200) << held.body;
  EXPECT_EQ(json::parse(held.body)["state"], "held");
  auto retried = call(root, "POST", path + "/retry");
  ASSERT_EQ(retried.status, 200) << retried.body;
  json r = json::parse(retried.body);
  EXPECT_EQ(r["state"], "held");  // a held entry stays held
  EXPECT_EQ(r["next_attempt"], clock_.unix_seconds());
  EXPECT_EQ(json::parse(call(root, "POST", path + "/release").body)["state"], "queued");
  EXPECT_EQ(call(root, "DELETE", path).status, 204);
  EXPECT_EQ(call(root, "DELETE", path).status, 404);
  EXPECT_EQ(call(root, "POST", path + "/retry").status, 404);
  auto about = store_->web().events_about("bob@other.test", 10).value();
  std::vector<std::string> actions;
  for (const auto& ev : about)
    if (ev.action.starts_with("admin.queue_")) {
      EXPECT_EQ(ev.actor, "root@example.test");
      EXPECT_NE(ev.details.find(globex_entry_), std::string::npos);
      actions.push_back(ev.action);
    }
  EXPECT_EQ(actions.size(), 4u);

  // A tenant admin changes its own tenant's entries; an API key with the grant may too.
  Caller boss = as("boss@example.test");
  EXPECT_EQ(call(boss, "POST", "/api/v1/admin/queue/" + acme_entry_ + "/hold").status, 200);
  Caller key = key_of("root@example.test", {"appliance-admin"});
  EXPECT_EQ(call(key, "POST", "/api/v1/admin/queue/" + acme_entry_ + "/release").status, 200);
  // Changes need sudo mode in a session.
  Caller plain = as("root@example.test", false);
  EXPECT_EQ(code(call(plain, "POST", "/api/v1/admin/queue/" + acme_entry_ + "/hold")),
            "sudo_required");
}

// A self-signed certificate for mail.example.test, valid until 2036-11-20 19:07:17 UTC.
constexpr const char* kCertificate = R"(-----BEGIN CERTIFICATE-----
MIIBjTCCATOgAwIBAgIUSmFWcWIOQLD58G+IDBJ2nlgVELUwCgYIKoZIzj0EAwIw
HDEaMBgGA1UEAwwRbWFpbC5leGFtcGxlLnRlc3QwHhcNMjYxMTIzMTkwNzE3WhcN
MzYxMTIwMTkwNzE3WjAcMRowGAYDVQQDDBFtYWlsLmV4YW1wbGUudGVzdDBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABFfrpax2FsPYCgumrpLcPHqFpQxr8BIpLT6E
YGRe6s8kxIUMU1Z79L2fPq4Hq/EqTWTqKFXOWyle5AKVoOmoKgmjUzBRMB0GA1Ud
DgQWBBSCQ/L0aw+YaW4wFzkLjVJWD1LUjjAfBgNVHSMEGDAWgBSCQ/L0aw+YaW4w
FzkLjVJWD1LUjjAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQCZ
J3B6oQ+pGTzFsdtXvz3ouM2rKYBMjSGZAOqiktduYgIgb6KP/76aeK6VsVOvB7Um
VkIqbe0hEBoVFMyXT0sYB9c=
-----END CERTIFICATE-----
)";

class OperationsTest : public AdminTest {
 protected:
  void SetUp() override {
    AdminTest::SetUp();
    report("keyd", ops_.boot_id, boottime_ms_ - 3000, true, "serving");
    report("smtpd", ops_.boot_id, boottime_ms_ - 1000, false, "store unavailable");
    report("imapd", "aaaaaaaa-1111-2222-3333-444455556666", 5, true, "serving");
    folder("pop3d");
    folder("deliverd");
    std::ofstream(ops_.health_dir / "deliverd" / "health.json") << "{\"daemon\":\"deliverd\"";
    ProcessCounters smtpd;
    smtpd.messages_in = 12;
    smtpd.tls_handshakes = 30;
    smtpd.tls_handshake_failures = 1;
    smtpd.keyd_requests = 4;
    smtpd.keyd_request_us = 2500;
    smtpd.dmarc_refused = 5;
    smtpd.dmarc_junked = 2;
    for (int i = 0; i < 3; ++i) smtpd.message_in(clock_.unix_seconds());
    smtpd.message_in(clock_.unix_seconds() - 30 * 3600);  // out of the 24 hours
    std::ofstream(ops_.health_dir / "smtpd" / "counters.json")
        << format_counters_report(make_counters_report("smtpd", 42, ops_.boot_id, 1, smtpd));
    // Of an earlier boot: not counted.
    std::ofstream(ops_.health_dir / "imapd" / "counters.json") << format_counters_report(
        make_counters_report("imapd", 42, "aaaaaaaa-1111-2222-3333-444455556666", 1, smtpd));
    ops_.certificates = [] {
      std::vector<Certificate> out{leaf_certificate("tls/mail.example.test", kCertificate).value()};
      out.push_back({"tls/other.test", "", 0, "no certificate"});
      return out;
    };
  }
  void folder(const std::string& daemon) {
    std::filesystem::create_directories(ops_.health_dir / daemon);
    std::filesystem::permissions(ops_.health_dir, std::filesystem::perms(0755));
    std::filesystem::permissions(ops_.health_dir / daemon, std::filesystem::perms(0755));
  }
  void report(const std::string& daemon, const std::string& boot, std::int64_t written, bool ready,
              const std::string& reason) {
    folder(daemon);
    std::ofstream(ops_.health_dir / daemon / "health.json")
        << format_health_report(make_health_report(daemon, 42, boot, written, ready, reason));
  }
};

TEST_F(OperationsTest, TheDashboardShowsDaemonsTokenCertificatesMailQueueAndEvents) {
  Caller root = as("root@example.test");
  std::int64_t now = clock_.unix_seconds();
  enqueue(tenant_, "alice@example.test", "x@remote.test", now);
  ASSERT_EQ(call(root, "POST", "/api/v1/admin/queue/" + acme_entry_ + "/hold").status, 200);
  auto r = call(root, "GET", "/api/v1/admin/status");
  ASSERT_EQ(r.status, 200) << r.body;
  json s = json::parse(r.body);
  std::map<std::string, json> daemons;
  for (const auto& d : s["daemons"]) daemons[d["daemon"]] = d;
  ASSERT_EQ(daemons.size(), 5u);
  EXPECT_EQ(daemons["keyd"]["state"], "ready");
  EXPECT_EQ(daemons["keyd"]["age_seconds"], 3);
  EXPECT_EQ(daemons["smtpd"]["state"], "not_ready");
  EXPECT_EQ(daemons["smtpd"]["reason"], "store unavailable");
  EXPECT_EQ(daemons["imapd"]["state"], "stale");
  EXPECT_TRUE(daemons["imapd"]["age_seconds"].is_null());
  EXPECT_EQ(daemons["pop3d"]["state"], "missing");
  EXPECT_EQ(daemons["deliverd"]["state"], "missing");  // a torn report is not trusted in part
  EXPECT_EQ(s["token"]["ready"], true);
  ASSERT_EQ(s["certificates"].size(), 2u);
  EXPECT_EQ(s["certificates"][0]["not_after"], 2110820837);
  EXPECT_EQ(s["certificates"][0]["subject"], "/CN=mail.example.test");
  EXPECT_EQ(s["certificates"][1]["error"], "no certificate");
  EXPECT_GT(s["storage"]["total_bytes"].get<std::uint64_t>(), 0u);
  ASSERT_EQ(s["mail"].size(), 24u);
  EXPECT_EQ(s["mail"][23]["hour"], now / 3600 * 3600);
  EXPECT_EQ(s["mail"][23]["out"], 1);
  EXPECT_EQ(s["mail"][23]["in"], 3);
  std::uint64_t in = 0;
  for (const auto& h : s["mail"]) in += h["in"].get<std::uint64_t>();
  EXPECT_EQ(in, 3u);
  EXPECT_EQ(s["queue"]["queued"], 2);
  EXPECT_EQ(s["queue"]["held"], 1);
  ASSERT_FALSE(s["events"].empty());
  EXPECT_EQ(s["events"][0]["action"], "admin.queue_hold");

  EXPECT_EQ(call(as("audit@example.test", false), "GET", "/api/v1/admin/status").status, 200);
  EXPECT_EQ(code(call(as("boss@example.test", false), "GET", "/api/v1/admin/status")), "forbidden");
  EXPECT_EQ(code(call(as("alice@example.test", false), "GET", "/api/v1/admin/status")),
            "forbidden");
}

TEST_F(OperationsTest, TheDashboardShowsWhatUpdatedReports) {
  Caller root = as("root@example.test");
  const auto dir = ops_.health_dir.parent_path() / "update";
  std::filesystem::create_directories(dir);
  std::filesystem::permissions(dir, std::filesystem::perms(0755));
  ops_.update_status = dir / "status.json";
  ops_.reboot_request = dir / "reboot-request";
  json u = json::parse(call(root, "GET", "/api/v1/admin/status").body)["updates"];
  EXPECT_TRUE(u["status"].is_null());
  EXPECT_EQ(u["reason"],
            "not reported yet: updated writes it at its first check (none without an update "
            "channel)");
  EXPECT_TRUE(u["reboot_request"].is_null());

  UpdateStatus status;
  status.channel = "stable";
  status.install = "notify";
  status.state = "checking";
  status.last_check = "2026-11-02T10:00:00Z";
  status.result = "available";
  status.message = "version 2.0 is available";
  status.running_version = "1.0";
  status.available_version = "2.0";
  std::ofstream(ops_.update_status) << format_update_status(status);
  std::ofstream(ops_.reboot_request)
      << "slot b marked bad (health gate failed); reboot into slot a\n";
  u = json::parse(
      call(as("audit@example.test", false), "GET", "/api/v1/admin/status").body)["updates"];
  EXPECT_EQ(u["status"]["result"], "available");
  EXPECT_EQ(u["status"]["available_version"], "2.0");
  EXPECT_EQ(u["status"]["last_check"], "2026-11-02T10:00:00Z");
  EXPECT_EQ(u["reboot_request"], "slot b marked bad (health gate failed); reboot into slot a");

  // A file that does not read strictly is not shown in part.
  std::ofstream(ops_.update_status) << R"({"channel":"nightly"})";
  u = json::parse(call(root, "GET", "/api/v1/admin/status").body)["updates"];
  EXPECT_TRUE(u["status"].is_null());
  EXPECT_EQ(u["reason"],
            ops_.update_status.string() + ": update status: \"channel\" is not one of its words");
}

// Checks the text as a scraper reads it: every line a HELP, a TYPE or a
// sample of the family last declared, label values escaped; the samples.
std::multimap<std::string, std::string> parse_exposition(const std::string& text) {
  static const std::regex help(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*)");
  static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter|summary))");
  static const std::regex sample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\})? (-?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?|NaN|[+-]Inf))");
  std::multimap<std::string, std::string> samples;
  std::set<std::string> declared;
  std::string family;
  EXPECT_TRUE(text.ends_with('\n'));
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    std::string line = text.substr(at, end - at);
    at = end + 1;
    std::smatch m;
    if (std::regex_match(line, m, help)) {
      family = m[1];
      EXPECT_TRUE(declared.insert(family).second) << "declared twice: " << family;
    } else if (std::regex_match(line, m, type)) {
      EXPECT_EQ(m[1], family) << line;
    } else if (std::regex_match(line, m, sample)) {
      EXPECT_TRUE(m[1] == family || m[1] == family + "_sum" || m[1] == family + "_count") << line;
      samples.emplace(m[1], m[2].str() + " " + m[3].str());
    } else {
      ADD_FAILURE() << "not the exposition format: " << line;
    }
  }
  return samples;
}

TEST_F(OperationsTest, MetricsAreThePrometheusTextFormatForApplianceAdmins) {
  Caller root = as("root@example.test", false);
  EXPECT_FALSE(login("alice@example.test", "wrong password").ok);
  folder("we\"ird\\name\nx");
  auto r = call(root, "GET", "/metrics");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers[0].second, "text/plain; version=0.0.4; charset=utf-8");
  auto samples = parse_exposition(r.body);
  auto has = [&](const std::string& name, const std::string& labels_and_value) {
    auto [b, e] = samples.equal_range(name);
    for (auto it = b; it != e; ++it)
      if (it->second == labels_and_value) return true;
    return false;
  };
  EXPECT_TRUE(has("appliance_daemon_ready", R"({daemon="keyd",state="ready"} 1)")) << r.body;
  EXPECT_TRUE(has("appliance_daemon_ready", R"({daemon="smtpd",state="not_ready"} 0)"));
  EXPECT_TRUE(has("appliance_daemon_ready", R"({daemon="we\"ird\\name\nx",state="missing"} 0)"))
      << r.body;
  EXPECT_TRUE(has("appliance_queue_messages", R"({state="queued"} 2)"));
  EXPECT_TRUE(has("appliance_queue_messages", R"({state="held"} 0)"));
  EXPECT_TRUE(has("appliance_logins", R"({protocol="imap",result="failed"} 1)")) << r.body;
  EXPECT_TRUE(
      has("appliance_certificate_expiry_seconds", R"({key="tls/mail.example.test"} 2110820837)"));
  EXPECT_EQ(samples.count("appliance_storage_bytes"), 2u);
  EXPECT_EQ(samples.count("appliance_messages_out"), 2u);
  EXPECT_TRUE(has("appliance_messages_in_total", R"({daemon="smtpd"} 16)")) << r.body;
  EXPECT_EQ(samples.count("appliance_messages_in_total"), 1u);  // imapd's is of another boot
  EXPECT_TRUE(has("appliance_tls_handshakes_total", R"({daemon="smtpd",result="ok"} 30)"));
  EXPECT_TRUE(has("appliance_tls_handshakes_total", R"({daemon="smtpd",result="failed"} 1)"));
  EXPECT_TRUE(has("appliance_keyd_request_seconds_sum", R"({daemon="smtpd"} 0.0025)")) << r.body;
  EXPECT_TRUE(has("appliance_keyd_request_seconds_count", R"({daemon="smtpd"} 4)"));
  EXPECT_TRUE(has("appliance_dmarc_enforced_total", R"({daemon="smtpd",action="refused"} 5)"))
      << r.body;
  EXPECT_TRUE(has("appliance_dmarc_enforced_total", R"({daemon="smtpd",action="junk"} 2)"));
  // The counters start at their first reading (webd's start); a login after it counts.
  EXPECT_EQ(samples.count("appliance_logins_total"), 0u) << r.body;
  EXPECT_TRUE(has("appliance_messages_out_total", " 0")) << r.body;
  EXPECT_TRUE(has("appliance_message_recipients_out_total", " 0"));
  EXPECT_FALSE(login("alice@example.test", "wrong again").ok);
  auto again = parse_exposition(call(root, "GET", "/metrics").body);
  auto total = again.equal_range("appliance_logins_total");
  ASSERT_EQ(std::distance(total.first, total.second), 1);
  EXPECT_EQ(total.first->second, R"({protocol="imap",result="failed"} 1)");

  EXPECT_EQ(call(key_of("root@example.test", {"appliance-admin"}), "GET", "/metrics").status, 200);
  EXPECT_EQ(code(call(key_of("root@example.test", {"auditor"}), "GET", "/metrics")), "forbidden");
  EXPECT_EQ(code(call(as("audit@example.test", false), "GET", "/metrics")), "forbidden");
  EXPECT_EQ(code(call(as("boss@example.test", false), "GET", "/metrics")), "forbidden");
  EXPECT_EQ(code(call(Caller{}, "GET", "/metrics")), "not_signed_in");
}

TEST(Prometheus, LabelValuesAndHelpAreEscaped) {
  EXPECT_EQ(escape_label_value("a\"b\\c\nd"), R"(a\"b\\c\nd)");
  std::string text = prometheus_text(
      {{"m", "help with \\ and\nline \"quoted\"", "gauge", {{{{"l", "v"}}, 1.5}, {{}, 3}}}});
  EXPECT_EQ(text,
            "# HELP m help with \\\\ and\\nline \"quoted\"\n# TYPE m gauge\nm{l=\"v\"} 1.5\nm 3\n");
}

}  // namespace
}  // namespace appliance::webd

namespace appliance::webd {
namespace {

// Keys: an appliance admin changes, an auditor reads, nobody else has a part;
// this fixture has no keyd, so what passes the checks is answered 503.
TEST_F(AdminTest, KeysAreForApplianceAdminsAndAuditorsOnly) {
  ASSERT_EQ(key_routes().size(), 7u);
  Caller root = as("root@example.test"), audit = as("audit@example.test");
  Caller boss = as("boss@example.test"), user = as("alice@example.test");
  Caller audit_key = key_of("audit@example.test", {"auditor"});
  std::size_t before = events();
  for (const Route& r : key_routes()) {
    bool changes = r.method != "GET";
    json body = r.body ? json{{"family", "tls/mail.example.test"}} : json(nullptr);
    for (const Caller* who : {&boss, &user}) {
      auto res = call(*who, std::string(r.method), key_target(r), body);
      EXPECT_EQ(res.status, 403) << r.method << " " << r.path << ": " << res.body;
      EXPECT_EQ(code(res), "forbidden") << r.path;
    }
    for (const Caller* who : {&audit, &audit_key}) {
      auto res = call(*who, std::string(r.method), key_target(r), body);
      EXPECT_EQ(res.status, changes ? 403 : 503) << r.method << " " << r.path << ": " << res.body;
    }
    auto res = call(root, std::string(r.method), key_target(r), body);
    EXPECT_EQ(res.status, 503) << r.method << " " << r.path << ": " << res.body;
  }
  EXPECT_EQ(events(), before);
}

TEST_F(AdminTest, KeyChangesNeedSudoMode) {
  Caller root = as("root@example.test", false);
  for (const Route& r : key_routes()) {
    if (r.method == "GET") continue;
    auto res = call(root, std::string(r.method), key_target(r), r.body ? json::object() : json());
    EXPECT_EQ(res.status, 403) << r.path;
    EXPECT_EQ(code(res), "sudo_required") << r.path;
  }
}

}  // namespace
}  // namespace appliance::webd
