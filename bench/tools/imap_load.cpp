// NAME
//   imap_load - IMAP load against a server over implicit TLS: logins, or a
//   mail client's session, as fast as the server answers.
//
// SYNOPSIS
//   imap_load --connect 127.0.0.1:PORT --user U --password-file F
//             [--mode login|session|populate] [--threads N] [--seconds S]
//             [--messages M] [--size BYTES]
//
// DESCRIPTION
//   login: each thread connects, does a full TLS handshake, LOGIN, LOGOUT,
//   closes; repeats. session: the same with, between LOGIN and LOGOUT,
//   SELECT INBOX, FETCH 1:M (FLAGS BODY.PEEK[HEADER]), STORE 1:100 +FLAGS
//   (\Flagged) and -FLAGS again, and one APPEND of BYTES. populate: one
//   session that APPENDs M messages of BYTES to INBOX, for both servers to
//   hold the same mail.
//
//   Responses are read to the tagged status line; literals are read by
//   their announced length, so a line inside a message is never taken for a
//   status. A NO or BAD counts as an error. Certificates are not verified.
//   Prints "done=N errors=E seconds=S rate=R" (R per second).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <csignal>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Options {
  std::string connect, user, password_file, password, mode = "login";
  int threads = 4, messages = 1000, size = 4096;
  double seconds = 5;
};

using Clock = std::chrono::steady_clock;
std::atomic<long> g_done{0}, g_errors{0};

// "a.b.c.d:port" only: the benchmarks run on loopback.
bool parse_address(const std::string& spec, sockaddr_in& addr) {
  char host[64] = {};
  unsigned port = 0;
  char rest = 0;
  addr = {};
  addr.sin_family = AF_INET;
  if (std::sscanf(spec.c_str(), "%63[0-9.]:%u%c", host, &port, &rest) != 2 || port > 65535)
    return false;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  return inet_pton(AF_INET, host, &addr.sin_addr) == 1;
}

// One IMAP connection over TLS; every call reports failure by returning false.
class Imap {
 public:
  Imap(SSL_CTX* ctx, const sockaddr_in& addr) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) return;
    ssl_ = SSL_new(ctx);
    SSL_set_fd(ssl_, fd_);
    ok_ = SSL_connect(ssl_) == 1 && line().rfind("* OK", 0) == 0;
  }
  ~Imap() {
    if (ssl_) SSL_free(ssl_);
    linger off{1, 0};  // reset: neither side keeps TIME_WAIT sockets
    setsockopt(fd_, SOL_SOCKET, SO_LINGER, &off, sizeof off);
    close(fd_);
  }
  bool ok() const { return ok_; }

  // Sends "tag command", reads to the tagged reply; true on OK.
  bool command(const std::string& text, const std::string& literal = {}) {
    std::string tag = "a" + std::to_string(++tags_);
    if (literal.empty()) return write(tag + " " + text + "\r\n") && tagged_ok(tag);
    if (!write(tag + " " + text + " {" + std::to_string(literal.size()) + "}\r\n")) return false;
    if (line().rfind("+", 0) != 0) return false;
    return write(literal + "\r\n") && tagged_ok(tag);
  }

 private:
  bool write(const std::string& s) {
    return ok_ && SSL_write(ssl_, s.data(), static_cast<int>(s.size())) == static_cast<int>(s.size());
  }
  bool fill() {
    char buffer[16384];
    int n = SSL_read(ssl_, buffer, sizeof buffer);
    if (n <= 0) return ok_ = false;
    in_.append(buffer, static_cast<std::size_t>(n));
    return true;
  }
  // One response line; a literal inside it is consumed by its length.
  std::string line() {
    std::string out;
    for (;;) {
      auto end = in_.find("\r\n");
      while (end == std::string::npos) {
        if (!fill()) return {};
        end = in_.find("\r\n");
      }
      out.append(in_, 0, end);
      in_.erase(0, end + 2);
      std::size_t open = out.rfind('{');
      if (out.empty() || out.back() != '}' || open == std::string::npos) return out;
      std::size_t length = std::stoul(out.substr(open + 1));
      while (in_.size() < length)
        if (!fill()) return {};
      in_.erase(0, length);  // the literal's bytes are not needed
    }
  }
  bool tagged_ok(const std::string& tag) {
    for (;;) {
      std::string l = line();
      if (!ok_) return false;
      if (l.rfind(tag + " ", 0) == 0) return l.compare(tag.size() + 1, 2, "OK") == 0;
    }
  }

  int fd_ = -1;
  SSL* ssl_ = nullptr;
  bool ok_ = false;
  long tags_ = 0;
  std::string in_;
};

std::string message(int size, long n) {
  std::string m = "From: load@client.test\r\nTo: user@bench.test\r\nSubject: message " +
                  std::to_string(n) + "\r\nMessage-ID: <" + std::to_string(n) +
                  "@client.test>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\n";
  while (static_cast<int>(m.size()) < size) m += std::string(70, 'x') + "\r\n";
  return m;
}

bool one_round(SSL_CTX* ctx, const sockaddr_in& addr, const Options& o, long n) {
  Imap imap(ctx, addr);
  if (!imap.ok() || !imap.command("LOGIN \"" + o.user + "\" \"" + o.password + "\"")) return false;
  if (o.mode == "session") {
    std::string range = "1:" + std::to_string(o.messages);
    if (!imap.command("SELECT INBOX") ||
        !imap.command("FETCH " + range + " (FLAGS BODY.PEEK[HEADER])") ||
        !imap.command("STORE 1:100 +FLAGS.SILENT (\\Flagged)") ||
        !imap.command("STORE 1:100 -FLAGS.SILENT (\\Flagged)") ||
        !imap.command("APPEND INBOX", message(o.size, n)))
      return false;
  }
  if (o.mode == "populate")
    for (int i = 0; i < o.messages; ++i)
      if (!imap.command("APPEND INBOX", message(o.size, i))) return false;
  return imap.command("LOGOUT");
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"IMAP load over implicit TLS"};
  app.add_option("--connect", o.connect, "server address host:port")->required();
  app.add_option("--user", o.user)->required();
  app.add_option("--password-file", o.password_file)->required();
  app.add_option("--mode", o.mode)->check(CLI::IsMember({"login", "session", "populate"}));
  app.add_option("--threads", o.threads)->check(CLI::Range(1, 256));
  app.add_option("--seconds", o.seconds)->check(CLI::Range(0.1, 3600.0));
  app.add_option("--messages", o.messages)->check(CLI::Range(1, 1000000));
  app.add_option("--size", o.size)->check(CLI::Range(100, 10000000));
  CLI11_PARSE(app, argc, argv);
  std::signal(SIGPIPE, SIG_IGN);  // a peer that resets must not kill us
  std::getline(std::ifstream(o.password_file), o.password);
  sockaddr_in addr{};
  if (!parse_address(o.connect, addr)) return std::cerr << "imap_load: bad --connect\n", 2;
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);

  auto start = Clock::now();
  if (o.mode == "populate") {
    (one_round(ctx, addr, o, 0) ? g_done : g_errors) += 1;
  } else {
    auto deadline = start + std::chrono::duration<double>(o.seconds);
    std::atomic<long> counter{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < o.threads; ++t)
      threads.emplace_back([&] {
        while (Clock::now() < deadline) (one_round(ctx, addr, o, ++counter) ? g_done : g_errors)++;
      });
    for (auto& t : threads) t.join();
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::cout << "done=" << g_done << " errors=" << g_errors << " seconds=" << seconds
            << " rate=" << g_done / seconds << "\n";
  SSL_CTX_free(ctx);
  return g_errors == 0 ? 0 : 1;
}
