// NAME
//   smtp_client.h - one outbound SMTP connection, blocking, on a worker.
//
// DESCRIPTION
//   connect() opens TCP to one address with a connect timeout; every later
//   read and write has an I/O timeout (SO_RCVTIMEO/SO_SNDTIMEO), so a
//   silent server costs a worker at most that long. Replies are read by
//   proto/smtp's ReplyReader. start_tls() upgrades the connection after
//   STARTTLS's 220: TLS 1.2 or newer. The handshake itself never fails on
//   the certificate; what it was checked against (TlsCheck: nothing, the
//   TLSA records through OpenSSL's DANE, or the WebPKI CA bundle and the MX
//   host name) is reported by peer_error(), and the TLS policy decides
//   whether that ends the connection (tls_policy.h).
//
// SECURITY
//   Everything the server sends is untrusted: replies are parsed with
//   limits, and plaintext buffered before the handshake is dropped.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "dns/resolver.h"
#include "proto/smtp/client_reply.h"

namespace appliance::deliverd {

struct ClientOptions {
  std::chrono::seconds connect_timeout{30};
  std::chrono::seconds io_timeout{300};  // RFC 5321 4.5.3.2: minutes for each step
  std::string ca_file;  // WebPKI roots for MTA-STS; empty: the system's
};

// What the server's certificate is checked against.
struct TlsCheck {
  enum class Kind { none, dane, webpki } kind = Kind::none;
  std::vector<dns::Tlsa> tlsa;  // dane: the usable records
  std::string name;  // the TLSA base domain or MX host name (DANE-TA and WebPKI name checks)
  // dane: the other names DANE-TA accepts (RFC 7672 3.2.2): the host's alias
  // or CNAME expansion, and the next-hop domain (the recipient's).
  std::vector<std::string> other_names;
};

// A TCP connection to address:port with the options' timeouts; the fd.
Result<int> open_tcp(const std::string& address, std::uint16_t port, const ClientOptions& o);

// The client SSL_CTX for these options (built once per CA bundle): TLS 1.2
// or newer, DANE enabled, the CA bundle loaded, no verification in the
// handshake (the caller reads the result).
Result<SSL_CTX*> client_context(const ClientOptions& o);

// Arms `ssl` for `check` before the handshake; afterwards the check's
// outcome: "" when the certificate passed it, else why not.
Result<void> arm_check(SSL* ssl, const TlsCheck& check);
std::string check_result(SSL* ssl, const TlsCheck& check);

class SmtpClient {
 public:
  static Result<std::unique_ptr<SmtpClient>> connect(const std::string& address, std::uint16_t port,
                                                     const ClientOptions& o);
  ~SmtpClient();
  SmtpClient(const SmtpClient&) = delete;
  SmtpClient& operator=(const SmtpClient&) = delete;

  Result<smtp::ServerReply> read_reply();
  Result<void> send(std::string_view bytes);
  // Sends `line` with CRLF and reads the reply.
  Result<smtp::ServerReply> command(std::string_view line);
  // The TLS handshake; `server_name` goes out as SNI. Fails only when no
  // TLS session could be made; the certificate's check is peer_error().
  Result<void> start_tls(const std::string& server_name, const TlsCheck& check = {});
  bool tls() const { return ssl_ != nullptr; }
  std::string tls_version() const;  // "TLSv1.3", or "" in plain text
  std::string tls_cipher() const;
  const std::string& peer_error() const { return peer_error_; }

 private:
  SmtpClient(int fd, const ClientOptions& o) : fd_(fd), options_(o) {}
  Result<std::size_t> receive(char* buffer, std::size_t size);

  int fd_ = -1;
  ClientOptions options_;
  std::string peer_error_;
  SSL* ssl_ = nullptr;
  smtp::ReplyReader reader_;
};

}  // namespace appliance::deliverd
