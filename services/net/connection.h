// NAME
//   connection.h - one accepted connection: the Link a conversation talks to.
//
// DESCRIPTION
//   Plaintext goes through Asio's socket operations. TLS is OpenSSL on the
//   socket itself, non-blocking: each SSL call that wants more input or
//   output space waits for the socket to become readable or writable and is
//   tried again. Reads and writes proceed independently; both run on the
//   connection's strand, so no two SSL calls ever overlap.
//
// THREADS
//   Everything except post() runs on the strand.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "net/link.h"
#include "net/server.h"
#include "tls/server_context.h"

namespace appliance::net {

class Connection final : public Link, public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::ip::tcp::socket socket, const ListenerOptions& options, TlsSource tls,
             std::shared_ptr<Conversation> conversation,
             std::shared_ptr<std::atomic<std::size_t>> active);
  ~Connection() override;

  // Starts the connection on its strand.
  void launch();
  // From any thread: asks the conversation to say goodbye.
  void request_goodbye(std::string why);

  void send(std::string bytes) override;
  void start_tls(std::function<void(bool ok)> done) override;
  void close() override;
  void post(std::function<void()> fn) override;
  void when_written(std::function<void()> fn) override;
  const Peer& peer() const override { return peer_; }

 private:
  void begin();
  void started();
  void read();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  void tls_read();
  void deliver(std::size_t n);
  void write();
  void tls_write();
  void wrote();
  void progressed() { last_written_ = std::chrono::steady_clock::now(); }
  void maybe_handshake();
  void handshake();
  void handshake_done(bool ok);
  // Waits for the socket to be readable (want_read) or writable, then runs next.
  void wait_socket(bool want_read, void (Connection::*next)());
  void arm_timer(std::chrono::steady_clock::duration after);
  void on_timer();
  void goodbye(std::string_view why);
  void finish();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  ListenerOptions options_;
  TlsSource tls_source_;
  std::shared_ptr<Conversation> conversation_;
  std::shared_ptr<std::atomic<std::size_t>> active_;
  Peer peer_;

  tls::SslPtr ssl_;
  bool tls_up_ = false;
  std::function<void(bool)> tls_done_;  // set while a STARTTLS handshake is wanted
  std::vector<std::function<void()>> written_;  // when_written() callers waiting
  std::deque<std::string> out_;
  std::size_t out_offset_ = 0;  // of out_.front() already written
  bool reading_ = false, writing_ = false, handshaking_ = false;
  bool close_wanted_ = false, said_goodbye_ = false, finished_ = false;
  std::uint64_t timer_generation_ = 0;
  std::chrono::steady_clock::time_point last_written_{};  // the last piece the peer took
  std::array<char, 16384> in_{};
};

}  // namespace appliance::net
