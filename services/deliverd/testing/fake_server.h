// NAME
//   fake_server.h - a plain-text SMTP server on a loopback port, for tests.
//
// DESCRIPTION
//   Accepts connections on a thread; answers each command line with the
//   reply `answer(line)` gives (RCPT per recipient), reads DATA to the end
//   line and answers `data_reply`, and records every line and body it got
//   and how many connections it took.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace appliance::deliverd::testing {

class FakeSmtpServer {
 public:
  std::function<std::string(const std::string& line)> answer = [](const std::string&) {
    return std::string("250 2.0.0 Ok");
  };
  std::string greeting = "220 fake.test ESMTP";  // a 4xx or 5xx one ends the connection
  // DATA after no accepted RCPT (RFC 2920 3.1); a 354 here takes a message anyway.
  std::string data_without_recipients = "554 5.5.1 No valid recipients";
  std::string data_reply = "250 2.0.0 Ok: queued";
  std::vector<std::string> extensions = {"8BITMIME"};  // EHLO's keywords

  FakeSmtpServer() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    listen(fd_, 8);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeSmtpServer() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  std::uint16_t port() const { return port_; }
  std::vector<std::string> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  std::vector<std::string> bodies() {
    std::lock_guard lock(mutex_);
    return bodies_;
  }
  int connections() {
    std::lock_guard lock(mutex_);
    return connections_;
  }
  // The bytes of each read, as they came: what a client sent in one write.
  std::vector<std::string> reads() {
    std::lock_guard lock(mutex_);
    return reads_;
  }

 private:
  void serve() {
    for (;;) {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      {
        std::lock_guard lock(mutex_);
        ++connections_;
      }
      converse(c);
      close(c);
    }
  }
  bool read_line(int c, std::string& buf, std::string& line) {
    for (;;) {
      auto nl = buf.find("\r\n");
      if (nl != std::string::npos) {
        line = buf.substr(0, nl);
        buf.erase(0, nl + 2);
        return true;
      }
      char tmp[4096];
      ssize_t n = recv(c, tmp, sizeof tmp, 0);
      if (n <= 0) return false;
      buf.append(tmp, static_cast<std::size_t>(n));
      std::lock_guard lock(mutex_);
      reads_.emplace_back(tmp, static_cast<std::size_t>(n));
    }
  }
  void say(int c, const std::string& reply) {
    std::string out = reply + "\r\n";
    send(c, out.data(), out.size(), MSG_NOSIGNAL);
  }
  void converse(int c) {
    std::string buf, line;
    int accepted = 0;  // recipients of the transaction
    say(c, greeting);
    if (!greeting.starts_with("220")) return;
    while (read_line(c, buf, line)) {
      {
        std::lock_guard lock(mutex_);
        lines_.push_back(line);
      }
      if (line.rfind("EHLO", 0) == 0) {
        std::string ehlo = "250" + std::string(extensions.empty() ? " " : "-") + "fake.test";
        for (std::size_t i = 0; i < extensions.size(); ++i)
          ehlo += "\r\n250" + std::string(i + 1 < extensions.size() ? "-" : " ") + extensions[i];
        say(c, ehlo);
      } else if (line == "DATA") {
        std::string start = accepted > 0 ? "354 go ahead" : data_without_recipients;
        say(c, start);
        if (!start.starts_with("354")) continue;
        std::string body;
        while (read_line(c, buf, line) && line != ".") body += line + "\r\n";
        {
          std::lock_guard lock(mutex_);
          bodies_.push_back(body);
        }
        say(c, data_reply);
      } else if (line == "QUIT") {
        say(c, "221 bye");
        return;
      } else {
        std::string reply = answer(line);
        if (line.rfind("MAIL", 0) == 0 || line == "RSET") accepted = 0;
        if (line.rfind("RCPT", 0) == 0 && reply.starts_with("2")) ++accepted;
        say(c, reply);
      }
    }
  }

  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> lines_, bodies_, reads_;
  int connections_ = 0;
};

}  // namespace appliance::deliverd::testing
