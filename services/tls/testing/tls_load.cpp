// NAME
//   tls_load - full TLS handshakes against a server, as fast as it answers.
//
// SYNOPSIS
//   tls_load --connect 127.0.0.1:PORT [--servername H] [--threads N]
//            [--seconds S] [--tls1_2] [--ciphers LIST]
//
// DESCRIPTION
//   N threads each connect, do one full handshake (no session is ever
//   offered again), read the server's first line, and close with a reset,
//   so that neither side collects TIME_WAIT sockets. Certificates are not
//   verified: this measures handshakes, and the tests check certificates.
//   Prints "handshakes=N errors=M seconds=S rate=R" (R per second).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace {

struct Options {
  std::string connect, servername, ciphers;
  int threads = 2;
  double seconds = 5;
  bool tls12 = false;
};

using Clock = std::chrono::steady_clock;
std::atomic<long> g_done{0}, g_errors{0};

bool parse_address(const std::string& spec, sockaddr_in& addr) {
  auto colon = spec.rfind(':');
  if (colon == std::string::npos) return false;
  addr = {};
  addr.sin_family = AF_INET;
  unsigned port = 0;
  auto [end, ec] = std::from_chars(spec.data() + colon + 1, spec.data() + spec.size(), port);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  return ec == std::errc() && port <= 65535 &&
         inet_pton(AF_INET, spec.substr(0, colon).c_str(), &addr.sin_addr) == 1;
}

SSL_CTX* client_context(const Options& o) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx, o.tls12 ? TLS1_2_VERSION : TLS1_3_VERSION);
  if (!o.ciphers.empty()) SSL_CTX_set_cipher_list(ctx, o.ciphers.c_str());
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  return ctx;
}

void report(const std::string& what) {
  if (g_errors++ < 5) std::cerr << "tls_load: " << what << "\n";
}

// One connection, one full handshake, one line; true when all went well.
bool one(SSL_CTX* ctx, const sockaddr_in& addr, const Options& o) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  linger reset{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    report(std::string("connect: ") + std::strerror(errno));
  } else {
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (!o.servername.empty()) SSL_set_tlsext_host_name(ssl, o.servername.c_str());
    char line[128];
    if (SSL_connect(ssl) != 1) {
      char text[256];
      ERR_error_string_n(ERR_get_error(), text, sizeof text);
      report(std::string("handshake: ") + text);
    } else if (SSL_read(ssl, line, sizeof line) <= 0) {
      report("no line from the server");
    } else {
      ok = true;
    }
    SSL_free(ssl);
    ERR_clear_error();
  }
  ::close(fd);
  return ok;
}

void worker(SSL_CTX* ctx, const sockaddr_in& addr, const Options& o, Clock::time_point end) {
  while (Clock::now() < end)
    if (one(ctx, addr, o)) ++g_done;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Full TLS handshakes per second against a server"};
  app.add_option("--connect", o.connect, "ADDRESS:PORT")->required();
  app.add_option("--servername", o.servername, "SNI");
  app.add_option("--threads", o.threads, "client threads")->check(CLI::Range(1, 256));
  app.add_option("--seconds", o.seconds, "how long")->check(CLI::Range(0.1, 3600.0));
  app.add_flag("--tls1_2", o.tls12, "TLS 1.2 only (default: 1.3 preferred)");
  app.add_option("--ciphers", o.ciphers, "TLS 1.2 cipher list");
  CLI11_PARSE(app, argc, argv);
  std::signal(SIGPIPE, SIG_IGN);  // a peer that resets must not kill us
  sockaddr_in addr{};
  if (!parse_address(o.connect, addr)) return std::cerr << "tls_load: bad --connect\n", 2;

  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(client_context(o), SSL_CTX_free);
  auto start = Clock::now();
  auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
  std::vector<std::thread> threads;
  for (int i = 0; i < o.threads; ++i)
    threads.emplace_back(worker, ctx.get(), std::cref(addr), std::cref(o), end);
  for (auto& t : threads) t.join();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("handshakes=%ld errors=%ld seconds=%.3f rate=%.1f\n", g_done.load(), g_errors.load(),
              seconds, static_cast<double>(g_done.load()) / seconds);
  return g_done > 0 ? 0 : 1;
}
