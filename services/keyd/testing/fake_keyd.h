// NAME
//   fake_keyd.h - a socket that answers frames in order, as keyd does, for
//   the tests of the client side (lanes, KeydClient) without a token.
//
// DESCRIPTION
//   Each connection has a thread; every frame is answered by `answer` (by
//   default: a health_reply whose body is the request's body, an echo). With
//   `close_after` >= 0, a connection hangs up without answering once it has
//   answered that many frames.
#pragma once

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "common/ipc.h"
#include "common/listen.h"

namespace appliance::keyd::testing {

class FakeKeyd {
 public:
  using Answer = std::function<std::string(const ipc::Message&)>;

  explicit FakeKeyd(int close_after = -1, Answer answer = echo)
      : close_after_(close_after), answer_(std::move(answer)) {
    dir_ = std::filesystem::temp_directory_path() /
           ("fake-keyd-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    auto fd = bind_unix(path(), 0600);
    EXPECT_TRUE(fd) << fd.message();
    fd_ = *fd;
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~FakeKeyd() {
    ::shutdown(fd_, SHUT_RDWR);
    acceptor_.join();
    for (auto& t : connections_) t.join();
    ::close(fd_);
    std::filesystem::remove_all(dir_);
  }
  std::string path() const { return (dir_ / "s.sock").string(); }
  int accepted() const { return accepted_; }

  static std::string echo(const ipc::Message& m) {
    return ipc::Writer(ipc::Type::health_reply).bytes(m.body).frame();
  }

 private:
  void accept_loop() {
    for (int c; (c = ::accept(fd_, nullptr, nullptr)) >= 0;) {
      ++accepted_;
      connections_.emplace_back([this, c] { serve(c); });
    }
  }
  static void send_all(int fd, const std::string& out) {
    for (std::size_t off = 0; off < out.size();) {
      ssize_t n = ::send(fd, out.data() + off, out.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return;
      off += static_cast<std::size_t>(n);
    }
  }
  void serve(int fd) {
    ipc::FrameDecoder decoder;
    char buf[4096];
    int answered = 0;
    for (;;) {
      std::string out;
      for (auto m = decoder.next(); m && *m; m = decoder.next()) {
        if (answered++ == close_after_) {
          send_all(fd, out);
          return (void)::close(fd);
        }
        out += answer_(**m);
      }
      send_all(fd, out);
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return (void)::close(fd);
      decoder.feed(std::string_view(buf, static_cast<std::size_t>(n)));
    }
  }

  static inline std::atomic<int> counter_{0};
  std::filesystem::path dir_;
  int fd_ = -1, close_after_;
  Answer answer_;
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  std::vector<std::thread> connections_;
};

// A frame whose echo carries `text`, and the text back out of an echo.
inline std::string request(const std::string& text) {
  return ipc::Writer(ipc::Type::health_request).bytes(text).frame();
}

inline std::string echoed(const ipc::Message& reply) {
  ipc::Reader outer(reply.body);
  const std::string body = outer.bytes(1 << 20);
  ipc::Reader inner(body);
  return inner.bytes(1 << 20);
}

}  // namespace appliance::keyd::testing
