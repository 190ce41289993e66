// NAME
//   conversation_test.cpp - whole POP3 dialogues driven with strings: logins
//   through an in-memory LoginService, the maildrop in a real SQLite store.
#include "pop3d/conversation.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "store/testing/fixture.h"

namespace appliance::pop3d {
namespace {

// Accounts and passwords in memory; records what it was asked.
class Logins : public auth::LoginService {
 public:
  struct Entry {
    std::string password;
    auth::LoginOutcome outcome;
  };
  Result<auth::LoginOutcome> login(const auth::LoginAttempt& a) override {
    attempts.push_back(a.user + " " + auth::to_string(a.source));
    if (fail) return make_error("store down");
    auto it = accounts.find(a.user);
    if (it == accounts.end() || !a.password.equals(it->second.password))
      return auth::LoginOutcome{.retry_after = std::chrono::seconds(throttled), .reason = "wrong"};
    EXPECT_EQ(a.protocol, auth::Protocol::pop3);
    return it->second.outcome;
  }
  std::map<std::string, Entry> accounts;
  std::vector<std::string> attempts;
  bool fail = false;
  int throttled = 0;
};

class ConversationTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    t_ = tenant("example");
    std::tie(alice_, inbox_) = account(*t_, "alice@example.test");
    logins_.accounts["alice@example.test"] = {
        "correct horse", {true, "alice@example.test", 1, alice_.id, {}, {}}};
    services_ = {&logins_, store_.get()};
  }

  void TearDown() override {
    for (auto& t : workers_) t.join();
    StoreTest::TearDown();
  }

  // A conversation whose work and posts wait in queues until pump(). With
  // threaded_, work runs on threads of its own; with hold_written_, what is
  // sent counts as written only when the test releases it.
  void connect(bool implicit_tls = false) {
    pop3::SessionConfig config;
    config.hostname = "mail.example.test";
    config.implicit_tls = implicit_tls;
    Io io{
        [this](std::string bytes) { out_ += bytes; },
        [this](std::function<void(bool)> done) {
          ++handshakes_;
          tasks_.push_back([done] { done(true); });
        },
        [this] { closed_ = true; },
        [this](std::function<void()> fn) {
          if (threaded_) return workers_.emplace_back(std::move(fn)), void();
          queue(std::move(fn));
        },
        [this](std::function<void()> fn) { queue(std::move(fn)); },
        [this](std::function<void()> fn) {
          if (hold_written_) return written_.push_back(std::move(fn));
          fn();
        },
    };
    c_ = std::make_shared<Conversation>(services_, config, "192.0.2.7", std::move(io));
    c_->start();
  }
  // Sends `line`, runs everything that was queued, returns what came back.
  std::string say(std::string_view bytes) {
    out_.clear();
    c_->received(bytes);
    pump();
    return out_;
  }
  void queue(std::function<void()> fn) {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(fn));
    wake_.notify_all();
  }
  void pump() {
    for (;;) {
      std::function<void()> fn;
      {
        std::lock_guard lock(mutex_);
        if (tasks_.empty()) return;
        fn = std::move(tasks_.front());
        tasks_.pop_front();
      }
      fn();
    }
  }
  // Runs tasks as workers post them until `done`; false if none came for 10 s.
  bool pump_until(const std::function<bool()>& done) {
    for (pump(); !done(); pump()) {
      std::unique_lock lock(mutex_);
      if (!wake_.wait_for(lock, std::chrono::seconds(10), [&] { return !tasks_.empty(); }))
        return false;
    }
    return true;
  }
  void login() {
    connect(true);
    ASSERT_EQ(say("USER alice@example.test\r\nPASS correct horse\r\n"), "+OK Send the password\r\n+OK Logged in\r\n");
  }

  std::shared_ptr<store::TenantStore> t_;
  store::Account alice_;
  store::Mailbox inbox_;
  Logins logins_;
  Services services_;
  std::shared_ptr<Conversation> c_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool threaded_ = false, hold_written_ = false;
  std::vector<std::thread> workers_;
  std::vector<std::function<void()>> written_;
  std::string out_;
  bool closed_ = false;
  int handshakes_ = 0;
};

const std::string kMail = "Subject: hi\r\n\r\n.starts with a dot\r\nsecond\r\n";

TEST_F(ConversationTest, StlsThenLoginThenTheWholeTransaction) {
  auto m1 = put(*t_, alice_, inbox_, kMail).value();
  put(*t_, alice_, inbox_, "Subject: two\r\n\r\nx\r\n").value();
  connect();
  EXPECT_EQ(out_, "+OK mail.example.test POP3 server ready\r\n");
  EXPECT_EQ(say("USER alice@example.test\r\n"),
            "-ERR [AUTH] Plaintext authentication disallowed; use STLS first\r\n");
  EXPECT_EQ(say("STLS\r\n"), "+OK Begin TLS negotiation\r\n");
  EXPECT_EQ(handshakes_, 1);
  EXPECT_EQ(say("USER alice@example.test\r\nPASS correct horse\r\n"), "+OK Send the password\r\n+OK Logged in\r\n");
  EXPECT_EQ(logins_.attempts, std::vector<std::string>{"alice@example.test 192.0.2.7"});
  EXPECT_EQ(say("STAT\r\n"), fmt::format("+OK 2 {}\r\n", kMail.size() + 19));
  EXPECT_EQ(say("LIST\r\n"), fmt::format("+OK 2 messages ({} octets)\r\n1 {}\r\n2 19\r\n.\r\n",
                                        kMail.size() + 19, kMail.size()));
  EXPECT_EQ(say("UIDL 1\r\n"), fmt::format("+OK 1 00000001{:08X}\r\n", inbox_.uidvalidity));
  EXPECT_EQ(say("TOP 1 0\r\n"), "+OK Top of message follows\r\nSubject: hi\r\n\r\n.\r\n");
  EXPECT_EQ(say("RETR 1\r\n"), fmt::format("+OK {} octets\r\nSubject: hi\r\n\r\n..starts with a "
                                           "dot\r\nsecond\r\n.\r\n",
                                           kMail.size()));
  EXPECT_EQ(say("DELE 1\r\n"), "+OK Message 1 deleted\r\n");
  EXPECT_EQ(say("QUIT\r\n"), "+OK Bye; 1 messages deleted\r\n");
  EXPECT_TRUE(closed_);
  auto left = t_->messages(alice_.id, inbox_.id).value();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_NE(left[0].id, m1.id);
}

TEST_F(ConversationTest, ALargeRetrWaitsForTheClientToRead) {
  std::string big = "Subject: big\r\n\r\n";
  for (int i = 0; big.size() < (2u << 20); ++i) big += fmt::format(".line {:07}\r\n", i);
  put(*t_, alice_, inbox_, big).value();
  threaded_ = hold_written_ = true;
  connect(true);
  c_->received("USER alice@example.test\r\nPASS correct horse\r\n");
  ASSERT_TRUE(pump_until([&] { return out_.ends_with("Logged in\r\n"); }));
  out_.clear();
  c_->received("RETR 1\r\n");
  // Window::kPieces pieces go out; then the worker waits until they are written.
  ASSERT_TRUE(pump_until([&] { return written_.size() == Window::kPieces; }));
  pump();
  EXPECT_EQ(written_.size(), std::size_t{Window::kPieces});
  ASSERT_TRUE(pump_until([&] {
    for (auto& fn : std::exchange(written_, {})) fn();
    return out_.ends_with("\r\n.\r\n");
  }));
  std::string stuffed = pop3::multiline(big);
  EXPECT_EQ(out_, fmt::format("+OK {} octets\r\n", big.size()) + stuffed);

  // A client gone while the worker waits: the worker stops (TearDown joins it).
  out_.clear();
  c_->received("RETR 1\r\n");
  ASSERT_TRUE(pump_until([&] { return written_.size() == Window::kPieces; }));
  c_->closed();
  pump();
}

TEST_F(ConversationTest, TheDaemonStoppingReleasesAWaitingRetr) {
  std::string big;
  for (int i = 0; big.size() < (2u << 20); ++i) big += fmt::format("line {:07}\r\n", i);
  put(*t_, alice_, inbox_, big).value();
  std::atomic<bool> stopping{false};
  services_.stopping = &stopping;
  threaded_ = hold_written_ = true;
  connect(true);
  c_->received("USER alice@example.test\r\nPASS correct horse\r\nRETR 1\r\n");
  ASSERT_TRUE(pump_until([&] { return written_.size() == Window::kPieces; }));
  stopping = true;
  workers_.front().join();  // the worker gives up within a second
  workers_.back().join();
  workers_.clear();
}

TEST_F(ConversationTest, PipelinedCommandsAnswerInOrder) {
  put(*t_, alice_, inbox_, kMail).value();
  login();
  EXPECT_EQ(say("TOP 1 0\r\nNOOP\r\nDELE 1\r\nSTAT\r\nRSET\r\nSTAT\r\n"),
            fmt::format("+OK Top of message follows\r\nSubject: hi\r\n\r\n.\r\n+OK\r\n"
                        "+OK Message 1 deleted\r\n+OK 0 0\r\n"
                        "+OK Maildrop has 1 messages ({0} octets)\r\n+OK 1 {0}\r\n",
                        kMail.size()));
}

TEST_F(ConversationTest, ARefusedLoginSaysOnlyThatItFailed) {
  connect(true);
  EXPECT_EQ(say("USER alice@example.test\r\nPASS wrong\r\n"),
            "+OK Send the password\r\n-ERR [AUTH] Authentication failed\r\n");
  EXPECT_EQ(say("AUTH PLAIN AGJvYgBzZWNyZXQ=\r\n"), "-ERR [AUTH] Authentication failed\r\n");
  logins_.throttled = 30;
  EXPECT_EQ(say("USER alice@example.test\r\nPASS wrong\r\n"),
            "+OK Send the password\r\n-ERR [SYS/TEMP] Too many attempts; try again later\r\n"
            "-ERR Too many failed logins\r\n");
  EXPECT_TRUE(closed_);
}

TEST_F(ConversationTest, AFailedLoginServiceIsATemporaryFailure) {
  logins_.fail = true;
  connect(true);
  EXPECT_EQ(say("USER alice@example.test\r\nPASS correct horse\r\n"),
            "+OK Send the password\r\n-ERR [SYS/TEMP] Temporary failure; try again later\r\n");
}

TEST_F(ConversationTest, SaslPlainMayNotActForAnotherAccount) {
  connect(true);
  // authzid bob, authcid alice: refused without asking the login service.
  EXPECT_EQ(say("AUTH PLAIN Ym9iAGFsaWNlQGV4YW1wbGUudGVzdABjb3JyZWN0IGhvcnNl\r\n"),
            "-ERR [AUTH] Authentication failed\r\n");
  EXPECT_TRUE(logins_.attempts.empty());
  EXPECT_EQ(say("AUTH PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABjb3JyZWN0IGhvcnNl\r\n"),
            "+OK Logged in\r\n");
}

TEST_F(ConversationTest, ClosedWithoutQuitDeletesNothing) {
  put(*t_, alice_, inbox_, kMail).value();
  login();
  say("DELE 1\r\n");
  c_->closed();
  EXPECT_EQ(say("QUIT\r\n"), "");
  EXPECT_EQ(t_->messages(alice_.id, inbox_.id)->size(), 1u);
}

TEST_F(ConversationTest, IdleTimeoutEndsTheSession) {
  login();
  out_.clear();
  c_->goodbye("Idle for too long");
  EXPECT_EQ(out_, "-ERR [SYS/TEMP] Idle for too long\r\n");
  EXPECT_TRUE(closed_);
}

TEST_F(ConversationTest, TheConnectionClosingMidRetrSendsNothingMore) {
  put(*t_, alice_, inbox_, kMail).value();
  login();
  out_.clear();
  c_->received("RETR 1\r\n");
  c_->closed();
  pump();
  EXPECT_EQ(out_, "");
}

}  // namespace
}  // namespace appliance::pop3d
