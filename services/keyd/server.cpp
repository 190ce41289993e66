// NAME
//   server.cpp - accept, read frames, answer.
#include "keyd/server.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "common/admin.h"
#include "common/log.h"

namespace appliance::keyd {
namespace {

bool send_all(int fd, const std::string& data) {
  for (std::size_t off = 0; off < data.size();) {
    ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

Server::~Server() {
  stop();
  if (acceptor_.joinable()) acceptor_.join();
}

void Server::start() { acceptor_ = std::thread([this] { accept_loop(); }); }

void Server::stop() {
  if (stopping_.exchange(true)) return;
  ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
  {
    std::lock_guard lock(mutex_);
    for (int fd : open_) ::shutdown(fd, SHUT_RDWR);  // wakes recv()
  }
  // Connection threads use the broker: let them finish before it goes away.
  for (int i = 0; i < 200 && connections_.load() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

void Server::accept_loop() {
  while (!stopping_) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (!stopping_) log::error("accept failed", {{"errno", errno}});
      return;
    }
    if (connections_.load() >= kMaxConnections) {
      log::warning("too many keyd connections; refusing one");
      ::close(fd);
      continue;
    }
    ++connections_;
    {
      std::lock_guard lock(mutex_);
      open_.insert(fd);
    }
    std::thread([this, fd] {
      serve(fd);
      {
        std::lock_guard lock(mutex_);
        open_.erase(fd);
      }
      ::close(fd);
      --connections_;
    }).detach();
  }
}

void Server::serve(int fd) {
  auto caller = ipc::peer_credentials(fd);
  if (!caller) return;
  Worker worker(broker_);
  ipc::FrameDecoder decoder(kMaxFrame);
  char buf[16384];
  std::string out;  // replies to every request read so far, sent together
  for (;;) {
    auto message = decoder.next();
    if (!message) {
      // A malformed stream cannot be resynchronised: answer why, then close.
      log::warning("keyd request rejected", {{"uid", caller->uid}, {"reason", message.message()}});
      out += error_reply(message.message()).frame();
      send_all(fd, out);
      return;
    }
    if (message->has_value()) {
      out += worker.handle(**message, *caller).frame();
      continue;
    }
    if (!out.empty() && !send_all(fd, out)) return;
    out.clear();
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    decoder.feed(std::string_view(buf, static_cast<std::size_t>(n)));
  }
}

}  // namespace appliance::keyd
