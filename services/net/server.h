// NAME
//   server.h - a TCP listener of a mail daemon: plaintext that may turn into
//   TLS (STARTTLS, STLS), or TLS from the first byte (465, 993, 995).
//
// DESCRIPTION
//   Server accepts on a socket the daemon inherited or bound before it
//   dropped privileges, and gives every connection to a fresh Conversation
//   from the daemon's factory (link.h). The TLS context for each new
//   connection comes from `tls` (a TlsContextSet's current(), so a rotated
//   key serves new connections at once); without one, start_tls() fails.
//
//   Limits are set where the read happens: at most max_connections at once
//   (more are closed at accept), an idle timeout after which the
//   conversation says goodbye and, if the peer still lingers, the
//   connection is cut; the TLS handshake counts as idle time, and a connection
//   whose peer is still taking a long answer (each piece written) does not.
//
// THREADS
//   Every connection runs on a strand of its own, so the io_context may be
//   run by several threads. stop() may be called from any thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "net/link.h"
#include "tls/server_context.h"

namespace appliance::net {

struct ListenerOptions {
  std::string name;  // "smtp", "submission", "imaps", ...
  bool implicit_tls = false;
  std::chrono::seconds idle_timeout{300};
  std::chrono::seconds goodbye_grace{10};  // after goodbye(), then the connection is cut
  std::size_t max_connections = 1000;
};

// The context for a new connection's TLS; may return null (no TLS now).
using TlsSource = std::function<tls::SslCtxPtr()>;
using ConversationFactory = std::function<std::shared_ptr<Conversation>()>;

class Server {
 public:
  Server(boost::asio::io_context& io, ListenerOptions options, TlsSource tls,
         ConversationFactory factory);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Takes the listening socket (owned from now on) and begins accepting.
  Result<void> start(int listening_fd);
  // No more accepts; every open conversation is asked to say goodbye.
  void stop(std::string_view why = "shutting down");

  std::size_t connections() const;
  const ListenerOptions& options() const;

 private:
  // Shared with the handlers in flight, which may outlive the Server.
  struct Listener;
  std::shared_ptr<Listener> listener_;
};

}  // namespace appliance::net
