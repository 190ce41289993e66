// NAME
//   link.h - a connection as the daemon's conversation sees it.
//
// DESCRIPTION
//   A mail daemon writes no socket code. For each accepted connection the
//   server (server.h) asks the daemon's factory for a Conversation and hands
//   it a Link: the conversation feeds what it receives to its protocol
//   session and answers through the link.
//
//   Every call between a Link and its Conversation happens on the
//   connection's strand, one at a time. Work that blocks (a store commit, an
//   Argon2 login) runs elsewhere (workers.h) and comes back with post().
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace appliance::net {

struct Peer {
  std::string address;  // the remote IP address, as text
  int port = 0;
  std::string listener;  // the listener's name: "smtp", "imaps", ...
  bool tls = false;
  std::string tls_version;  // "TLSv1.3" once TLS is up
  std::string tls_cipher;   // "TLS_AES_256_GCM_SHA384"
};

class Link {
 public:
  virtual ~Link() = default;
  // Queued; written in order.
  virtual void send(std::string bytes) = 0;
  // When everything queued is written: the server side of a TLS handshake.
  // Bytes that arrive before it are dropped (nothing plaintext survives into
  // TLS). done(false): the handshake failed and the connection is closing.
  virtual void start_tls(std::function<void(bool ok)> done) = 0;
  // When everything queued is written.
  virtual void close() = 0;
  // Runs fn on this connection's strand; from any thread. Dropped when the
  // connection is gone.
  virtual void post(std::function<void()> fn) = 0;
  // Runs fn on the strand once everything queued so far is written: a sender
  // of a long reply waits for it before queueing more, so a client that reads
  // slowly holds no more than that in memory. Dropped when the connection is
  // gone (the conversation's closed() says so). A link that writes at once
  // (a test's) runs it at once.
  virtual void when_written(std::function<void()> fn) { fn(); }
  virtual const Peer& peer() const = 0;
};

class Conversation {
 public:
  virtual ~Conversation() = default;
  // The connection is up (with implicit TLS, after the handshake).
  virtual void start(std::shared_ptr<Link> link) = 0;
  // Bytes read, plaintext (decrypted when TLS is up).
  virtual void received(std::string_view bytes) = 0;
  // Idle for the listener's timeout, or the daemon is stopping: say goodbye
  // (SMTP 421, IMAP BYE, POP3 -ERR) and close(). The connection is cut if
  // the peer still lingers after the grace time.
  virtual void goodbye(std::string_view why) = 0;
  // The connection is gone; the link does nothing any more.
  virtual void closed() {}
};

}  // namespace appliance::net
