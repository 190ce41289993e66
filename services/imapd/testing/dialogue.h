// NAME
//   dialogue.h - the fixture of imapd's dialogue tests: clients driven with
//   strings, logins through an in-memory LoginService, mailboxes in a real
//   SQLite store, worker jobs and posts run when the test pumps them.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <deque>
#include <map>

#include "imapd/conversation.h"
#include "store/testing/fixture.h"

namespace appliance::imapd::testing {

class Logins : public auth::LoginService {
 public:
  Result<auth::LoginOutcome> login(const auth::LoginAttempt& a) override {
    attempts.push_back(a.user + " " + a.client);
    if (a.user != "alice@example.test" || !a.password.equals("correct horse"))
      return auth::LoginOutcome{.reason = "wrong"};
    return outcome;
  }
  auth::LoginOutcome outcome;
  std::vector<std::string> attempts;
};

// One client: a conversation whose work and posts wait in a shared queue.
struct Client {
  std::shared_ptr<Conversation> c;
  std::string out;
  bool closed = false;
};

class ImapdTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    t_ = tenant("example");
    std::tie(alice_, inbox_) = account(*t_, "alice@example.test");
    logins_.outcome = {true, "alice@example.test", t_->id(), alice_.id, {}, {}};
    services_ = {&logins_, store_.get(), &hub_};
  }

  Client& connect(bool implicit_tls = true) {
    auto& cl = clients_.emplace_back(std::make_unique<Client>());
    Client* raw = cl.get();
    imap::SessionConfig config;
    config.hostname = "mail.example.test";
    config.implicit_tls = implicit_tls;
    config.condstore = condstore_;
    config.qresync = condstore_;
    Io io{
        [raw](std::string bytes) { raw->out += bytes; },
        [this](std::function<void(bool)> done) { tasks_.push_back([done] { done(true); }); },
        [raw] { raw->closed = true; },
        [this](std::function<void()> fn) { tasks_.push_back(std::move(fn)); },
        [this](std::function<void()> fn) { tasks_.push_back(std::move(fn)); },
    };
    raw->c = std::make_shared<Conversation>(services_, config, "192.0.2.7", std::move(io));
    raw->c->start();
    pump();
    return *raw;
  }
  std::string say(Client& cl, std::string_view bytes) {
    cl.out.clear();
    cl.c->received(bytes);
    pump();
    return cl.out;
  }
  void pump() {
    while (!tasks_.empty()) {
      auto fn = std::move(tasks_.front());
      tasks_.pop_front();
      fn();
    }
  }
  Client& logged_in() {
    Client& cl = connect();
    EXPECT_EQ(
        say(cl, "a LOGIN alice@example.test \"correct horse\"\r\n"),
        fmt::format(
            "a OK [CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ ENABLE ID IDLE NAMESPACE "
            "UIDPLUS MOVE UNSELECT CHILDREN LIST-EXTENDED LIST-STATUS SPECIAL-USE "
            "CREATE-SPECIAL-USE ESEARCH SEARCHRES BINARY MULTIAPPEND APPENDLIMIT=52428800 {}QUOTA "
            "QUOTA=RES-STORAGE UTF8=ACCEPT STATUS=SIZE WITHIN] Logged in\r\n",
            condstore_ ? "CONDSTORE QRESYNC " : ""));
    return cl;
  }
  std::string append(Client& cl, std::string_view message, std::string_view flags = "") {
    return say(
        cl, fmt::format("ap APPEND INBOX ({}) {{{}+}}\r\n{}\r\n", flags, message.size(), message));
  }

  bool condstore_ = false;  // offer CONDSTORE and QRESYNC
  std::shared_ptr<store::TenantStore> t_;
  store::Account alice_;
  store::Mailbox inbox_;
  Logins logins_;
  IdleHub hub_;
  Services services_;
  std::vector<std::unique_ptr<Client>> clients_;
  std::deque<std::function<void()>> tasks_;
};

inline const std::string kMail =
    "From: Bob <bob@example.test>\r\nTo: alice@example.test\r\nSubject: lunch\r\n"
    "Date: Mon, 23 Nov 2026 12:00:00 +0000\r\nMIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
    "Content-Type: text/plain\r\n\r\nnoon?\r\n--b\r\nContent-Type: text/plain\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n--b--\r\n";

}  // namespace appliance::imapd::testing
