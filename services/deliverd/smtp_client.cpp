// NAME
//   smtp_client.cpp - TCP with timeouts, OpenSSL for STARTTLS, replies read
//   as they arrive.
#include "deliverd/smtp_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace appliance::deliverd {
namespace {

SSL_CTX* client_context() {
  static SSL_CTX* ctx = [] {
    SSL_CTX* c = SSL_CTX_new(TLS_client_method());
    if (!c) return c;
    SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
    SSL_CTX_set_verify(c, SSL_VERIFY_NONE, nullptr);  // opportunistic (RFC 7435)
    return c;
  }();
  return ctx;
}

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (!e) return "TLS handshake failed";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

Result<int> open_socket(const std::string& address, std::uint16_t port, const ClientOptions& o) {
  addrinfo hints{};
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(address.c_str(), std::to_string(port).c_str(), &hints, &found); rc != 0)
    return make_error(fmt::format("{}: {}", address, gai_strerror(rc)));
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> own(found, freeaddrinfo);
  int fd = socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return make_error(fmt::format("socket: {}", std::strerror(errno)));
  auto fail = [&](std::string why) {
    ::close(fd);
    return make_error(fmt::format("connect to [{}]:{}: {}", address, port, why));
  };
  if (::connect(fd, found->ai_addr, found->ai_addrlen) < 0 && errno != EINPROGRESS)
    return fail(std::strerror(errno));
  pollfd p{fd, POLLOUT, 0};
  int n = poll(&p, 1, static_cast<int>(o.connect_timeout.count() * 1000));
  if (n == 0) return fail("timed out");
  int err = 0;
  socklen_t len = sizeof err;
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (n < 0 || err) return fail(std::strerror(n < 0 ? errno : err));
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  timeval tv{static_cast<time_t>(o.io_timeout.count()), 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return fd;
}

}  // namespace

Result<std::unique_ptr<SmtpClient>> SmtpClient::connect(const std::string& address,
                                                        std::uint16_t port,
                                                        const ClientOptions& o) {
  auto fd = open_socket(address, port, o);
  if (!fd) return fd.error();
  return std::unique_ptr<SmtpClient>(new SmtpClient(*fd));
}

SmtpClient::~SmtpClient() {
  if (ssl_) {
    SSL_shutdown(ssl_);
    SSL_free(ssl_);
  }
  if (fd_ >= 0) ::close(fd_);
}

Result<std::size_t> SmtpClient::receive(char* buffer, std::size_t size) {
  if (ssl_) {
    int n = SSL_read(ssl_, buffer, static_cast<int>(size));
    if (n > 0) return static_cast<std::size_t>(n);
    return make_error("connection closed or timed out in TLS");
  }
  ssize_t n = ::recv(fd_, buffer, size, 0);
  if (n > 0) return static_cast<std::size_t>(n);
  if (n == 0) return make_error("connection closed by the server");
  return make_error(errno == EAGAIN || errno == EWOULDBLOCK ? "timed out waiting for the server"
                                                            : std::strerror(errno));
}

Result<smtp::ServerReply> SmtpClient::read_reply() {
  for (;;) {
    auto r = reader_.next();
    if (!r) return make_error("bad reply: " + r.message());
    if (r->has_value()) return std::move(**r);
    char buf[4096];
    auto n = receive(buf, sizeof buf);
    if (!n) return n.error();
    reader_.feed(std::string_view(buf, *n));
  }
}

Result<void> SmtpClient::send(std::string_view bytes) {
  while (!bytes.empty()) {
    long n = ssl_ ? SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()))
                  : ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0)
      return make_error(ssl_ ? std::string("write failed in TLS")
                             : fmt::format("write failed: {}", std::strerror(errno)));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Result<smtp::ServerReply> SmtpClient::command(std::string_view line) {
  if (auto s = send(std::string(line) + "\r\n"); !s) return s.error();
  return read_reply();
}

Result<void> SmtpClient::start_tls(const std::string& server_name) {
  SSL_CTX* ctx = client_context();
  if (!ctx) return make_error("no TLS client context");
  reader_ = smtp::ReplyReader();  // nothing read before TLS is used after it
  ssl_ = SSL_new(ctx);
  if (!ssl_) return make_error(openssl_error());
  SSL_set_fd(ssl_, fd_);
  if (!server_name.empty()) SSL_set_tlsext_host_name(ssl_, server_name.c_str());
  if (SSL_connect(ssl_) != 1) {
    std::string why = openssl_error();
    SSL_free(ssl_);
    ssl_ = nullptr;
    return make_error("TLS handshake: " + why);
  }
  return {};
}

std::string SmtpClient::tls_version() const {
  return ssl_ ? SSL_get_version(ssl_) : "";
}
std::string SmtpClient::tls_cipher() const {
  return ssl_ ? SSL_CIPHER_get_name(SSL_get_current_cipher(ssl_)) : "";
}

}  // namespace appliance::deliverd
