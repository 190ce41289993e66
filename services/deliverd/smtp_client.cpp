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

#include <openssl/x509v3.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

namespace appliance::deliverd {
namespace {

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (!e) return "TLS handshake failed";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

// The check's names without repeats, its own first.
std::vector<std::string> names_of(const TlsCheck& check) {
  std::vector<std::string> out{check.name};
  for (const auto& name : check.other_names)
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  return out;
}

}  // namespace

Result<SSL_CTX*> client_context(const ClientOptions& o) {
  static std::mutex mutex;
  static std::map<std::string, SSL_CTX*> contexts;  // by CA bundle, for the process's life
  std::lock_guard lock(mutex);
  if (auto it = contexts.find(o.ca_file); it != contexts.end()) return it->second;
  SSL_CTX* c = SSL_CTX_new(TLS_client_method());
  if (!c) return make_error("no TLS client context: " + openssl_error());
  SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
  // Never fail the handshake on the certificate: the policy reads the result.
  SSL_CTX_set_verify(c, SSL_VERIFY_NONE, nullptr);
  bool loaded = o.ca_file.empty() ? SSL_CTX_set_default_verify_paths(c) == 1
                                  : SSL_CTX_load_verify_locations(c, o.ca_file.c_str(), nullptr) == 1;
  if (!loaded || SSL_CTX_dane_enable(c) <= 0) {
    std::string why = openssl_error();
    SSL_CTX_free(c);
    return make_error(fmt::format("TLS client context (CA bundle '{}'): {}",
                                  o.ca_file.empty() ? "system" : o.ca_file, why));
  }
  contexts.emplace(o.ca_file, c);
  return c;
}

Result<void> arm_check(SSL* ssl, const TlsCheck& check) {
  switch (check.kind) {
    case TlsCheck::Kind::none:
      return {};
    case TlsCheck::Kind::dane: {
      // The reference identifiers for DANE-TA are the TLSA base domain and
      // the other names of the check (RFC 7672 3.2.2); DANE-EE has no name
      // check (3.2.1).
      if (SSL_dane_enable(ssl, check.name.c_str()) <= 0)
        return make_error("DANE: " + openssl_error());
      for (const auto& name : check.other_names)
        if (name != check.name && SSL_add1_host(ssl, name.c_str()) != 1)
          return make_error("DANE: " + openssl_error());
      SSL_dane_set_flags(ssl, DANE_FLAG_NO_DANE_EE_NAMECHECKS);
      int usable = 0;
      for (const auto& t : check.tlsa) {
        int added = SSL_dane_tlsa_add(ssl, t.usage, t.selector, t.matching,
                                      reinterpret_cast<const unsigned char*>(t.data.data()),
                                      t.data.size());
        if (added > 0) ++usable;
        ERR_clear_error();  // a malformed record is unusable, not fatal
      }
      if (usable == 0) return make_error("DANE: no usable TLSA record");
      return {};
    }
    case TlsCheck::Kind::webpki:
      SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      if (SSL_set1_host(ssl, check.name.c_str()) != 1)
        return make_error("certificate name: " + openssl_error());
      return {};
  }
  return {};
}

std::string check_result(SSL* ssl, const TlsCheck& check) {
  if (check.kind == TlsCheck::Kind::none) return "";
  if (!SSL_get0_peer_certificate(ssl)) return "no server certificate";
  long v = SSL_get_verify_result(ssl);
  if (v != X509_V_OK) {
    std::string why = X509_verify_cert_error_string(v);
    if (check.kind == TlsCheck::Kind::dane && v == X509_V_ERR_HOSTNAME_MISMATCH)
      return fmt::format("certificate does not name {} (DANE-TA, RFC 7672 3.2.2)",
                         fmt::join(names_of(check), " or "));
    if (check.kind == TlsCheck::Kind::dane) return "no TLSA record matched: " + why;
    return fmt::format("certificate not valid for {}: {}", check.name, why);
  }
  if (check.kind == TlsCheck::Kind::dane && SSL_get0_dane_authority(ssl, nullptr, nullptr) < 0)
    return "no TLSA record matched";
  return "";
}

Result<int> open_tcp(const std::string& address, std::uint16_t port, const ClientOptions& o) {
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

Result<std::unique_ptr<SmtpClient>> SmtpClient::connect(const std::string& address,
                                                        std::uint16_t port,
                                                        const ClientOptions& o) {
  auto fd = open_tcp(address, port, o);
  if (!fd) return fd.error();
  return std::unique_ptr<SmtpClient>(new SmtpClient(*fd, o));
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

Result<void> SmtpClient::start_tls(const std::string& server_name, const TlsCheck& check) {
  auto ctx = client_context(options_);
  if (!ctx) return ctx.error();
  reader_ = smtp::ReplyReader();  // nothing read before TLS is used after it
  SSL* ssl = SSL_new(*ctx);
  if (!ssl) return make_error(openssl_error());
  SSL_set_fd(ssl, fd_);
  if (!server_name.empty()) SSL_set_tlsext_host_name(ssl, server_name.c_str());
  auto armed = arm_check(ssl, check);
  if (armed && SSL_connect(ssl) == 1) {
    ssl_ = ssl;
    peer_error_ = check_result(ssl_, check);
    return {};
  }
  std::string why = armed ? openssl_error() : armed.message();
  SSL_free(ssl);
  return make_error("TLS handshake: " + why);
}

std::string SmtpClient::tls_version() const {
  return ssl_ ? SSL_get_version(ssl_) : "";
}
std::string SmtpClient::tls_cipher() const {
  return ssl_ ? SSL_CIPHER_get_name(SSL_get_current_cipher(ssl_)) : "";
}

}  // namespace appliance::deliverd
