// NAME
//   channel.h - what a conversation needs from its connection and from the
//   worker pool.
//
// DESCRIPTION
//   Channel is one connection as the SMTP conversation sees it: send bytes,
//   start TLS, close, and post work back onto the connection's strand. The
//   network layer implements it over a socket; the unit tests implement it
//   with strings. RunBlocking runs a blocking call (a store commit, an Argon2
//   login) on a worker thread, never on the I/O loop.
#pragma once

#include <functional>
#include <string>

namespace appliance::smtpd {

struct Peer {
  std::string address;  // the client's IP address, as text
  int port = 0;
  bool tls = false;
  std::string tls_version, tls_cipher;
};

class Channel {
 public:
  virtual ~Channel() = default;
  virtual void send(std::string bytes) = 0;                       // queued, written in order
  virtual void start_tls(std::function<void(bool ok)> done) = 0;  // after queued bytes
  virtual void close() = 0;                                       // after queued bytes
  virtual void post(std::function<void()> fn) = 0;                // onto the connection's strand
  virtual Peer peer() const = 0;
};

using RunBlocking = std::function<void(std::function<void()>)>;

}  // namespace appliance::smtpd
