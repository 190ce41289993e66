// NAME
//   tls_probe - a TLS server for tests and benchmarks: serves the
//   appliance's TLS policy with keys in keyd, or with a PEM key.
//
// SYNOPSIS
//   tls_probe --keyd-socket S --host H [--host H2...] --listen 127.0.0.1:0
//             [--threads N] [--refresh SECONDS]
//   tls_probe --pem-key KEY.pem --cert CHAIN.pem [--host H] --listen ...
//
// DESCRIPTION
//   Prints "listening 127.0.0.1:PORT" once it accepts. Each connection gets
//   one full handshake, the line "hello from H\n" (H: the SNI name, or the
//   default hostname without one), and is closed. With keyd, the keys of the
//   hostnames are read again every --refresh seconds (default 2) and on
//   SIGHUP, so a rotated key serves new handshakes without a restart.
//   SIGTERM or SIGINT stops it; it then prints "handshakes=N failed=M".
//
// SECURITY
//   A test tool, not a daemon: it does not drop privileges itself (run it
//   with setpriv as a service user). Reads TLS from the network; holds no
//   private key in keyd mode. Listens on loopback addresses only.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <sys/socket.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <charconv>
#include <csignal>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <thread>

#include "common/log.h"
#include "tls/context_set.h"

using namespace appliance;
using namespace appliance::tls;

namespace {

struct Options {
  std::string keyd_socket, pem_key, cert, listen = "127.0.0.1:0";
  std::vector<std::string> hosts;
  int threads = 4;
  double refresh = 2.0;
};

std::atomic<bool> g_stopping{false};
std::atomic<long> g_handshakes{0}, g_failed{0};

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path + ": cannot read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Result<SslCtxPtr> pem_context(const Options& o) {
  auto key_pem = read_file(o.pem_key);
  if (!key_pem) return key_pem.error();
  auto chain = read_file(o.cert);
  if (!chain) return chain.error();
  hsm::BioPtr bio = hsm::memory_bio(*key_pem);
  hsm::EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return hsm::openssl_error(o.pem_key);
  std::string host = o.hosts.empty() ? "localhost" : o.hosts.front();
  auto c = make_credential(host, o.pem_key, std::move(key), *chain);
  if (!c) return c.error();
  return make_server_context({&c.value()});
}

// Binds a loopback address ("127.0.0.1:0"); returns the socket.
Result<int> listen_on(const std::string& spec, std::string& bound) {
  auto colon = spec.rfind(':');
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  if (colon == std::string::npos ||
      inet_pton(AF_INET, spec.substr(0, colon).c_str(), &addr.sin_addr) != 1)
    return make_error("--listen: want ADDRESS:PORT, got " + spec);
  if ((ntohl(addr.sin_addr.s_addr) >> 24) != 127) return make_error("--listen: loopback only");
  unsigned port = 0;
  std::string_view digits = std::string_view(spec).substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc() || end != digits.data() + digits.size() || port > 65535)
    return make_error("--listen: bad port in " + spec);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd, 1024) != 0 || getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    return make_error(std::string("listen: ") + std::strerror(errno));
  bound = spec.substr(0, colon) + ":" + std::to_string(ntohs(addr.sin_port));
  return fd;
}

void report_failure(SSL* ssl) {
  // The first few only: a benchmark or a scanner must not flood the output.
  if (g_failed++ >= 20) return ERR_clear_error();
  const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  std::string message = hsm::openssl_error("handshake failed").message;
  std::cerr << "tls_probe: " << message << " (sni " << (sni ? sni : "-") << ")\n";
}

void serve(int fd, const std::function<SslCtxPtr()>& current) {
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  SslCtxPtr ctx = current();
  SslPtr ssl(SSL_new(ctx.get()));
  SSL_set_fd(ssl.get(), fd);
  if (SSL_accept(ssl.get()) != 1) return report_failure(ssl.get());
  ++g_handshakes;
  const char* sni = SSL_get_servername(ssl.get(), TLSEXT_NAMETYPE_host_name);
  std::string line = "hello from " + (sni ? std::string(sni) : served_hostname(ssl.get())) + "\n";
  SSL_write(ssl.get(), line.data(), static_cast<int>(line.size()));
  SSL_shutdown(ssl.get());
  ERR_clear_error();
}

void accept_loop(int listen_fd, const std::function<SslCtxPtr()>& current) {
  while (!g_stopping) {
    int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (g_stopping) return;
      if (errno != EINTR && errno != ECONNABORTED) usleep(10000);  // EMFILE and the like
      continue;
    }
    serve(fd, current);
    ::close(fd);
  }
}

// Waits for signals: SIGHUP refreshes, SIGTERM and SIGINT stop.
void wait_for_stop(const sigset_t& signals, TlsContextSet* set) {
  for (;;) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig != SIGHUP) return;
    if (!set) continue;
    auto r = set->refresh();
    if (!r) std::cerr << "tls_probe: refresh failed: " << r.message() << "\n";
  }
}

int run(const Options& o) {
  log::init("tls_probe");
  std::signal(SIGPIPE, SIG_IGN);  // a peer that resets must not kill us
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // every thread inherits this

  std::unique_ptr<TlsContextSet> set;
  std::function<SslCtxPtr()> current;
  SslCtxPtr pem;
  if (!o.keyd_socket.empty()) {
    auto opened = TlsContextSet::open(keyd_key_service(o.keyd_socket), o.hosts);
    if (!opened) return std::cerr << "tls_probe: " << opened.message() << "\n", 1;
    set = std::move(opened).value();
    set->poll_every(std::chrono::milliseconds(static_cast<long>(o.refresh * 1000)));
    current = [&set] { return set->current(); };
  } else {
    auto made = pem_context(o);
    if (!made) return std::cerr << "tls_probe: " << made.message() << "\n", 1;
    pem = std::move(made).value();
    current = [&pem] {
      SSL_CTX_up_ref(pem.get());
      return SslCtxPtr(pem.get());
    };
  }
  std::string bound;
  auto fd = listen_on(o.listen, bound);
  if (!fd) return std::cerr << "tls_probe: " << fd.message() << "\n", 1;
  std::cout << "listening " << bound << std::endl;

  std::vector<std::thread> workers;
  for (int i = 0; i < o.threads; ++i) workers.emplace_back(accept_loop, *fd, std::cref(current));
  wait_for_stop(signals, set.get());
  g_stopping = true;
  ::shutdown(*fd, SHUT_RDWR);  // wakes accept()
  for (auto& w : workers) w.join();
  ::close(*fd);
  std::cout << "handshakes=" << g_handshakes << " failed=" << g_failed << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"TLS test server: keys in keyd, or a PEM key"};
  auto* keyd = app.add_option("--keyd-socket", o.keyd_socket, "keyd's socket");
  auto* pem = app.add_option("--pem-key", o.pem_key, "an in-process PEM private key");
  app.add_option("--cert", o.cert, "the PEM certificate chain of --pem-key")->needs(pem);
  pem->needs("--cert")->excludes(keyd);
  app.add_option("--host", o.hosts, "hostname served (keyd: tls/<host>); the first is the default");
  app.add_option("--listen", o.listen, "loopback ADDRESS:PORT")->capture_default_str();
  app.add_option("--threads", o.threads, "handshake threads")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--refresh", o.refresh, "seconds between key checks (keyd)")
      ->check(CLI::Range(0.01, 3600.0))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (o.keyd_socket.empty() == o.pem_key.empty())
    return std::cerr << "tls_probe: give --keyd-socket or --pem-key\n", 2;
  if (!o.keyd_socket.empty() && o.hosts.empty())
    return std::cerr << "tls_probe: --keyd-socket needs at least one --host\n", 2;
  return run(o);
}
