// NAME
//   lane_test.cpp - many threads on one connection get their own replies;
//   a broken connection fails what was in flight and the next call reconnects.
#include "keyd/lane.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include "common/listen.h"

namespace appliance::keyd {
namespace {

using namespace std::chrono_literals;

// Answers every frame with its body, in order, as keyd does; after
// `close_after` frames on one connection it hangs up without answering.
class EchoServer {
 public:
  explicit EchoServer(int close_after = -1) : close_after_(close_after) {
    dir_ = std::filesystem::temp_directory_path() /
           ("lane-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    auto fd = bind_unix(path(), 0600);
    EXPECT_TRUE(fd) << fd.message();
    fd_ = *fd;
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~EchoServer() {
    ::shutdown(fd_, SHUT_RDWR);
    acceptor_.join();
    for (auto& t : connections_) t.join();
    ::close(fd_);
    std::filesystem::remove_all(dir_);
  }
  std::string path() const { return (dir_ / "s.sock").string(); }
  int accepted() const { return accepted_; }

 private:
  void accept_loop() {
    for (int c; (c = ::accept(fd_, nullptr, nullptr)) >= 0;) {
      ++accepted_;
      connections_.emplace_back([this, c] { serve(c); });
    }
  }
  void serve(int fd) {
    ipc::FrameDecoder decoder;
    char buf[4096];
    int answered = 0;
    for (;;) {
      std::string out;
      for (auto m = decoder.next(); m && *m; m = decoder.next()) {
        if (answered++ == close_after_) return (void)::close(fd);
        out += ipc::Writer(ipc::Type::health_reply).bytes((*m)->body).frame();
      }
      if (!out.empty()) (void)::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return (void)::close(fd);
      decoder.feed(std::string_view(buf, static_cast<std::size_t>(n)));
    }
  }

  static inline std::atomic<int> counter_{0};
  std::filesystem::path dir_;
  int fd_ = -1, close_after_;
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  std::vector<std::thread> connections_;
};

std::string request(const std::string& text) {
  return ipc::Writer(ipc::Type::health_request).bytes(text).frame();
}

std::string echoed(const ipc::Message& reply) {
  ipc::Reader outer(reply.body);
  const std::string body = outer.bytes(1 << 20);
  ipc::Reader inner(body);
  return inner.bytes(1 << 20);
}

TEST(Lane, ManyThreadsEachGetTheirOwnReplies) {
  EchoServer server;
  Lane lane(server.path(), 5s);
  std::atomic<int> wrong{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string text = std::to_string(t) + ":" + std::to_string(i);
        auto reply = lane.call(request(text));
        if (!reply)
          ++failed;
        else if (echoed(*reply) != text)
          ++wrong;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(server.accepted(), 1);  // one connection carried all 32,000
}

TEST(Lane, BrokenConnectionFailsWhatWasInFlightThenReconnects) {
  EchoServer server(/*close_after=*/100);
  Lane lane(server.path(), 5s);
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) lane.call(request("x")) ? ++ok : ++failed;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok + failed, 400);  // every call came back: none hung
  EXPECT_GT(failed, 0);
  EXPECT_GE(server.accepted(), 2);
  auto after = lane.call(request("again"));
  ASSERT_TRUE(after) << after.message();
  EXPECT_EQ(echoed(*after), "again");
}

TEST(Lane, NoServerIsAnErrorNotAHang) {
  Lane lane("/nonexistent/keyd.sock", 1s);
  auto reply = lane.call(request("x"));
  ASSERT_FALSE(reply);
  EXPECT_NE(reply.message().find("/nonexistent/keyd.sock"), std::string::npos);
}

}  // namespace
}  // namespace appliance::keyd
