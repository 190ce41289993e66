// NAME
//   connection.cpp - one accepted connection: plaintext, STARTTLS, implicit TLS.
#include "net/connection.h"

#include <openssl/err.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "common/counters_report.h"

namespace appliance::net {

namespace asio = boost::asio;
using boost::system::error_code;

Connection::Connection(asio::ip::tcp::socket socket, const ListenerOptions& options,
                       TlsSource tls, std::shared_ptr<Conversation> conversation,
                       std::shared_ptr<std::atomic<std::size_t>> active)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      options_(options),
      tls_source_(std::move(tls)),
      conversation_(std::move(conversation)),
      active_(std::move(active)) {
  ++*active_;
  peer_.listener = options_.name;
  error_code ec;
  auto remote = socket_.remote_endpoint(ec);
  if (!ec) {
    auto address = remote.address();
    // An IPv4 client on a dual-stack socket is logged as IPv4.
    if (address.is_v6() && address.to_v6().is_v4_mapped())
      address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
    peer_.address = address.to_string();
    peer_.port = remote.port();
  }
}

Connection::~Connection() { --*active_; }

void Connection::launch() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->begin(); });
}

void Connection::begin() {
  socket_.set_option(asio::ip::tcp::no_delay(true));
  arm_timer(options_.idle_timeout);
  if (!options_.implicit_tls) return started();
  tls_done_ = [this](bool ok) {
    if (ok) started();
  };
  maybe_handshake();
}

void Connection::started() {
  conversation_->start(shared_from_this());
  if (!finished_ && !close_wanted_ && !tls_done_) read();
}

void Connection::request_goodbye(std::string why) {
  asio::post(socket_.get_executor(), [self = shared_from_this(), why = std::move(why)] {
    self->goodbye(why);
  });
}

void Connection::post(std::function<void()> fn) {
  asio::post(socket_.get_executor(), [self = shared_from_this(), fn = std::move(fn)] {
    if (!self->finished_) fn();
  });
}

// ---- reading

void Connection::read() {
  if (reading_ || finished_) return;
  reading_ = true;
  if (tls_up_) return tls_read();
  socket_.async_read_some(asio::buffer(in_), [self = shared_from_this()](const error_code& ec,
                                                                         std::size_t n) {
    self->on_read(ec, n);
  });
}

void Connection::on_read(const error_code& ec, std::size_t n) {
  reading_ = false;
  if (finished_) return;
  if (ec == asio::error::operation_aborted && tls_done_) return maybe_handshake();
  if (ec) return finish();
  deliver(n);
  if (!finished_ && !close_wanted_ && !tls_done_) read();
}

void Connection::tls_read() {
  while (!finished_ && !close_wanted_) {
    ERR_clear_error();
    int n = SSL_read(ssl_.get(), in_.data(), static_cast<int>(in_.size()));
    if (n > 0) {
      deliver(static_cast<std::size_t>(n));
      continue;
    }
    int err = SSL_get_error(ssl_.get(), n);
    if (err == SSL_ERROR_WANT_READ) return wait_socket(true, &Connection::tls_read);
    if (err == SSL_ERROR_WANT_WRITE) return wait_socket(false, &Connection::tls_read);
    break;  // closed by the peer, or a TLS error
  }
  reading_ = false;
  if (!close_wanted_) finish();
}

void Connection::deliver(std::size_t n) {
  arm_timer(options_.idle_timeout);
  // While a STARTTLS handshake is pending, plaintext must not reach the session.
  if (tls_done_) return;
  conversation_->received(std::string_view(in_.data(), n));
}

// ---- writing

void Connection::send(std::string bytes) {
  if (finished_ || bytes.empty()) return;
  out_.push_back(std::move(bytes));
  write();
}

void Connection::write() {
  if (writing_ || finished_) return;
  if (out_.empty()) return wrote();
  writing_ = true;
  if (tls_up_) return tls_write();
  asio::async_write(socket_, asio::buffer(out_.front()),
                    [self = shared_from_this()](const error_code& ec, std::size_t) {
                      self->writing_ = false;
                      if (self->finished_) return;
                      if (ec) return self->finish();
                      self->out_.pop_front();
                      self->progressed();
                      self->write();
                    });
}

void Connection::tls_write() {
  while (!out_.empty()) {
    const std::string& front = out_.front();
    ERR_clear_error();
    int n = SSL_write(ssl_.get(), front.data() + out_offset_,
                      static_cast<int>(front.size() - out_offset_));
    if (n > 0) {
      out_offset_ += static_cast<std::size_t>(n);
      if (out_offset_ == front.size()) out_.pop_front(), out_offset_ = 0, progressed();
      continue;
    }
    int err = SSL_get_error(ssl_.get(), n);
    if (err == SSL_ERROR_WANT_WRITE) return wait_socket(false, &Connection::tls_write);
    if (err == SSL_ERROR_WANT_READ) return wait_socket(true, &Connection::tls_write);
    writing_ = false;
    return finish();
  }
  writing_ = false;
  wrote();
}

void Connection::when_written(std::function<void()> fn) {
  if (finished_) return;
  if (!writing_ && out_.empty()) return fn();
  written_.push_back(std::move(fn));
}

// Everything queued is written: what was waiting for that may go ahead.
void Connection::wrote() {
  for (auto& fn : std::exchange(written_, {})) fn();
  if (tls_done_) return maybe_handshake();
  if (close_wanted_) finish();
}

void Connection::close() {
  close_wanted_ = true;
  if (!writing_ && out_.empty()) finish();
}

// ---- TLS

void Connection::start_tls(std::function<void(bool ok)> done) {
  if (finished_) return;
  if (tls_up_ || tls_done_) return done(false);
  tls_done_ = std::move(done);
  maybe_handshake();
}

void Connection::maybe_handshake() {
  if (handshaking_ || writing_ || !out_.empty() || finished_) return;
  // A plaintext read in flight would race the handshake for the socket's bytes.
  if (reading_) {
    error_code ignored;
    socket_.cancel(ignored);
    return;  // on_read() comes back here
  }
  tls::SslCtxPtr ctx = tls_source_ ? tls_source_() : nullptr;
  if (ctx) ssl_.reset(SSL_new(ctx.get()));
  if (!ssl_ || SSL_set_fd(ssl_.get(), socket_.native_handle()) != 1) {
    ssl_.reset();
    return handshake_done(false);
  }
  error_code ec;
  socket_.non_blocking(true, ec);
  SSL_set_mode(ssl_.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_set_accept_state(ssl_.get());
  handshaking_ = true;
  handshake();
}

void Connection::handshake() {
  ERR_clear_error();
  int r = SSL_do_handshake(ssl_.get());
  if (r == 1) return handshake_done(true);
  int err = SSL_get_error(ssl_.get(), r);
  if (err == SSL_ERROR_WANT_READ) return wait_socket(true, &Connection::handshake);
  if (err == SSL_ERROR_WANT_WRITE) return wait_socket(false, &Connection::handshake);
  handshake_done(false);
}

void Connection::handshake_done(bool ok) {
  handshaking_ = false;
  (ok ? process_counters().tls_handshakes : process_counters().tls_handshake_failures)++;
  auto done = std::move(tls_done_);
  tls_done_ = nullptr;
  if (ok) {
    tls_up_ = true;
    peer_.tls = true;
    peer_.tls_version = SSL_get_version(ssl_.get());
    peer_.tls_cipher = SSL_get_cipher_name(ssl_.get());
  } else {
    ssl_.reset();  // never send a close_notify over a failed handshake
    close_wanted_ = true;
  }
  if (done) done(ok);
  if (!ok) return finish();
  if (!finished_ && !close_wanted_) read();
  write();
}

void Connection::wait_socket(bool want_read, void (Connection::*next)()) {
  auto kind = want_read ? asio::socket_base::wait_read : asio::socket_base::wait_write;
  socket_.async_wait(kind, [self = shared_from_this(), next](const error_code& ec) {
    if (self->finished_) return;
    if (ec) return self->finish();
    ((*self).*next)();
  });
}

// ---- time and the end

void Connection::arm_timer(std::chrono::steady_clock::duration after) {
  if (finished_) return;  // a wait now would keep a finished connection alive
  std::uint64_t generation = ++timer_generation_;
  timer_.expires_after(after);
  timer_.async_wait([self = shared_from_this(), generation](const error_code& ec) {
    if (ec || generation != self->timer_generation_ || self->finished_) return;
    self->on_timer();
  });
}

void Connection::on_timer() {
  // Nothing can be said in the middle of a handshake: cut.
  if (said_goodbye_ || handshaking_ || tls_done_) return finish();
  // A connection whose client is taking a long answer is not idle, though it
  // sends nothing meanwhile: the idle time counts from the last piece written
  // (looked at here, when the time is up, not at every write).
  auto quiet = std::chrono::steady_clock::now() - last_written_;
  if (quiet < options_.idle_timeout) return arm_timer(options_.idle_timeout - quiet);
  goodbye("idle timeout");
}

void Connection::goodbye(std::string_view why) {
  if (finished_ || said_goodbye_) return;
  said_goodbye_ = true;
  conversation_->goodbye(why);
  arm_timer(options_.goodbye_grace);
}

void Connection::finish() {
  if (finished_) return;
  finished_ = true;
  ++timer_generation_;
  error_code ignored;
  timer_.cancel();
  if (ssl_ && tls_up_) {
    ERR_clear_error();
    SSL_shutdown(ssl_.get());  // one close_notify, best effort: the socket is non-blocking
  }
  socket_.shutdown(asio::socket_base::shutdown_both, ignored);
  socket_.close(ignored);
  // Later, not from inside a call of the conversation's own; dropping it then
  // breaks the cycle (the conversation holds this link).
  if (conversation_)
    asio::post(socket_.get_executor(),
               [conversation = std::move(conversation_)] { conversation->closed(); });
}

}  // namespace appliance::net
