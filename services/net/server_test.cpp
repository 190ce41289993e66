// NAME
//   server_test.cpp - listeners over loopback: plaintext, STARTTLS, implicit
//   TLS, limits, goodbye.
#include "net/server.h"

#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>

#include <csignal>
#include <thread>

#include "common/listen.h"
#include "tls/context_set.h"
#include "tls/testing/fake_key_service.h"

namespace appliance::net {
namespace {

constexpr int kBigLines = 512;  // of 64 KiB: 32 MiB

// Says hello, echoes lines, and knows STARTTLS and QUIT; remembers what it saw.
class EchoConversation final : public Conversation {
 public:
  void start(std::shared_ptr<Link> link) override {
    link_ = std::move(link);
    link_->send("hello " + link_->peer().listener + (link_->peer().tls ? " tls" : "") + "\r\n");
  }
  void received(std::string_view bytes) override {
    buffer_.append(bytes);
    for (auto end = buffer_.find("\r\n"); end != std::string::npos; end = buffer_.find("\r\n")) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      on_line(line);
    }
  }
  void goodbye(std::string_view why) override {
    link_->send("bye " + std::string(why) + "\r\n");
    link_->close();
  }

 private:
  void on_line(const std::string& line) {
    if (line == "STARTTLS") {
      buffer_.clear();
      link_->send("go\r\n");
      link_->start_tls([link = link_](bool ok) {
        if (ok) link->send("secure " + link->peer().tls_version + "\r\n");
      });
    } else if (line == "BIG") {
      // More than the sockets' buffers hold: written only as the client reads.
      for (int i = 0; i < kBigLines; ++i) link_->send(std::string(65534, 'x') + "\r\n");
      link_->when_written([this] { ++written_; });
    } else if (line == "WRITTEN") {
      link_->send("written " + std::to_string(written_) + "\r\n");
    } else if (line == "QUIT") {
      link_->send("bye\r\n");
      link_->close();
    } else {
      link_->send("echo " + line + "\r\n");
    }
  }

  std::shared_ptr<Link> link_;
  std::string buffer_;
  int written_ = 0;
};

// A blocking client over a plain socket, with TLS on demand.
class Client {
 public:
  explicit Client(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    timeval timeout{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~Client() {
    if (ssl_) SSL_free(ssl_);
    if (ctx_) SSL_CTX_free(ctx_);
    close(fd_);
  }
  bool connected() const { return connected_; }

  bool start_tls() {
    ctx_ = SSL_CTX_new(TLS_client_method());
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_);
    return SSL_connect(ssl_) == 1;
  }
  void write(std::string_view text) {
    if (ssl_)
      SSL_write(ssl_, text.data(), static_cast<int>(text.size()));
    else
      ::send(fd_, text.data(), text.size(), MSG_NOSIGNAL);
  }
  // One line without CRLF; "" at the end of the stream.
  std::string line() {
    for (;;) {
      if (auto end = in_.find("\r\n"); end != std::string::npos) {
        std::string line = in_.substr(0, end);
        in_.erase(0, end + 2);
        return line;
      }
      char buffer[4096];
      int n = ssl_ ? SSL_read(ssl_, buffer, sizeof buffer)
                   : static_cast<int>(::recv(fd_, buffer, sizeof buffer, 0));
      if (n <= 0) return "";
      in_.append(buffer, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  std::string in_;
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::signal(SIGPIPE, SIG_IGN);  // as in every daemon: a peer that resets must not kill us
    keys_ = std::make_shared<tls::testing::FakeKeyService>();
    keys_->add("mail.example.test", EVP_PKEY_EC);
    auto set = tls::TlsContextSet::open(keys_, {"mail.example.test"});
    ASSERT_TRUE(set) << set.message();
    contexts_ = std::move(set).value();
  }
  void TearDown() override {
    for (auto& server : servers_) server->stop();
    // Every connection ends and is freed once its client is gone.
    for (int i = 0; i < 500 && open_connections() > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(open_connections(), 0u);
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  std::size_t open_connections() const {
    std::size_t n = 0;
    for (auto& server : servers_) n += server->connections();
    return n;
  }

  // A server on a free loopback port; returns the port.
  int listen(ListenerOptions options) {
    auto fd = bind_tcp("127.0.0.1:0");
    EXPECT_TRUE(fd) << fd.message();
    int port = *local_port(*fd);
    auto* contexts = contexts_.get();
    auto server = std::make_unique<Server>(
        io_, std::move(options), [contexts] { return contexts->current(); },
        [] { return std::make_shared<EchoConversation>(); });
    EXPECT_TRUE(server->start(*fd));
    servers_.push_back(std::move(server));
    if (!thread_.joinable()) thread_ = std::thread([this] { io_.run(); });
    return port;
  }

  std::shared_ptr<tls::testing::FakeKeyService> keys_;
  std::unique_ptr<tls::TlsContextSet> contexts_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  std::vector<std::unique_ptr<Server>> servers_;
  std::thread thread_;
};

TEST_F(ServerTest, PlaintextLinesGoBothWays) {
  Client client(listen({.name = "smtp"}));
  ASSERT_TRUE(client.connected());
  EXPECT_EQ(client.line(), "hello smtp");
  client.write("one\r\ntwo\r\n");
  EXPECT_EQ(client.line(), "echo one");
  EXPECT_EQ(client.line(), "echo two");
  client.write("QUIT\r\n");
  EXPECT_EQ(client.line(), "bye");
  EXPECT_EQ(client.line(), "");  // closed after the last reply
}

TEST_F(ServerTest, WhenWrittenWaitsUntilTheClientHasReadEverything) {
  Client client(listen({.name = "pop3"}));
  EXPECT_EQ(client.line(), "hello pop3");
  client.write("BIG\r\nWRITTEN\r\n");
  for (int i = 0; i < kBigLines; ++i) ASSERT_EQ(client.line().size(), 65534u);
  EXPECT_EQ(client.line(), "written 0");  // asked while 32 MiB were still queued
  client.write("WRITTEN\r\n");
  EXPECT_EQ(client.line(), "written 1");
}

TEST_F(ServerTest, StartTlsUpgradesTheConnection) {
  Client client(listen({.name = "submission"}));
  EXPECT_EQ(client.line(), "hello submission");
  client.write("STARTTLS\r\n");
  EXPECT_EQ(client.line(), "go");
  ASSERT_TRUE(client.start_tls());
  EXPECT_EQ(client.line(), "secure TLSv1.3");
  client.write("inside\r\n");
  EXPECT_EQ(client.line(), "echo inside");
}

TEST_F(ServerTest, PlaintextSentBehindStartTlsNeverReachesTheConversation) {
  Client client(listen({.name = "smtp"}));
  EXPECT_EQ(client.line(), "hello smtp");
  client.write("STARTTLS\r\nINJECTED\r\n");
  EXPECT_EQ(client.line(), "go");
  // The conversation drops what followed STARTTLS in its read, the link what
  // arrives before the handshake: the line is never echoed, in plaintext or
  // inside TLS.
  if (client.start_tls()) {
    EXPECT_EQ(client.line(), "secure TLSv1.3");
    client.write("after\r\n");
    EXPECT_EQ(client.line(), "echo after");
  }
}

TEST_F(ServerTest, ImplicitTlsHandshakesBeforeTheGreeting) {
  Client client(listen({.name = "imaps", .implicit_tls = true}));
  ASSERT_TRUE(client.start_tls());
  EXPECT_EQ(client.line(), "hello imaps tls");
  client.write("ping\r\n");
  EXPECT_EQ(client.line(), "echo ping");
}

TEST_F(ServerTest, PlaintextOnAnImplicitTlsPortIsCut) {
  Client client(listen({.name = "imaps", .implicit_tls = true}));
  client.write("a001 LOGIN user password\r\n");
  EXPECT_EQ(client.line(), "");
}

TEST_F(ServerTest, IdleConnectionsAreToldAndClosed) {
  Client client(listen({.name = "pop3", .idle_timeout = std::chrono::seconds(1)}));
  EXPECT_EQ(client.line(), "hello pop3");
  EXPECT_EQ(client.line(), "bye idle timeout");
  EXPECT_EQ(client.line(), "");
}

// A client that reads a long answer slowly, sending nothing meanwhile, is
// not idle: it gets all of it, though reading takes longer than the idle
// timeout and its grace together.
TEST_F(ServerTest, AClientTakingALongAnswerIsNotIdle) {
  Client client(listen({.name = "imap",
                        .idle_timeout = std::chrono::seconds(1),
                        .goodbye_grace = std::chrono::seconds(1)}));
  EXPECT_EQ(client.line(), "hello imap");
  client.write("BIG\r\n");
  auto start = std::chrono::steady_clock::now();
  int lines = 0;
  for (std::string line = client.line(); line == std::string(65534, 'x'); line = client.line()) {
    if (++lines % 16 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(120));
  }
  EXPECT_EQ(lines, kBigLines);
  EXPECT_GT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST_F(ServerTest, ConnectionsBeyondTheLimitAreClosedAtOnce) {
  int port = listen({.name = "smtp", .max_connections = 1});
  Client first(port);
  EXPECT_EQ(first.line(), "hello smtp");
  Client second(port);
  EXPECT_EQ(second.line(), "");
  first.write("still\r\n");
  EXPECT_EQ(first.line(), "echo still");
}

TEST_F(ServerTest, StopSaysGoodbyeToEveryConversation) {
  Client client(listen({.name = "imap"}));
  EXPECT_EQ(client.line(), "hello imap");
  servers_.front()->stop("shutting down");
  EXPECT_EQ(client.line(), "bye shutting down");
  EXPECT_EQ(client.line(), "");
}

}  // namespace
}  // namespace appliance::net
