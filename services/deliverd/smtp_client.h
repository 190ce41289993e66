// NAME
//   smtp_client.h - one outbound SMTP connection, blocking, on a worker.
//
// DESCRIPTION
//   connect() opens TCP to one address with a connect timeout; every later
//   read and write has an I/O timeout (SO_RCVTIMEO/SO_SNDTIMEO), so a
//   silent server costs a worker at most that long. Replies are read by
//   proto/smtp's ReplyReader. start_tls() upgrades the connection after
//   STARTTLS's 220: TLS 1.2 or newer, opportunistic, so the server's
//   certificate is not checked (RFC 7435); a policy that checks it (MTA-STS,
//   DANE) is not done yet.
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
#include "proto/smtp/client_reply.h"

namespace appliance::deliverd {

struct ClientOptions {
  std::chrono::seconds connect_timeout{30};
  std::chrono::seconds io_timeout{300};  // RFC 5321 4.5.3.2: minutes for each step
};

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
  // The TLS handshake; `server_name` goes out as SNI.
  Result<void> start_tls(const std::string& server_name);
  bool tls() const { return ssl_ != nullptr; }
  std::string tls_version() const;  // "TLSv1.3", or "" in plain text
  std::string tls_cipher() const;

 private:
  explicit SmtpClient(int fd) : fd_(fd) {}
  Result<std::size_t> receive(char* buffer, std::size_t size);

  int fd_ = -1;
  SSL* ssl_ = nullptr;
  smtp::ReplyReader reader_;
};

}  // namespace appliance::deliverd
