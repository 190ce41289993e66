// NAME
//   echod - the smallest daemon on the shared skeleton, for its tests.
//
// DESCRIPTION
//   Serves the listener "echo": greets each connection with the uid and gid it
//   runs as ("uid=999 gid=994"), then echoes lines back. With [echod]
//   crash_after_ms set it aborts after that many milliseconds, so the
//   supervisor's restart can be tested.
//
// SECURITY
//   Test only; trusts nothing it reads, runs as [echod] user when root.
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>

#include "common/daemon.h"

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

class EchoSession : public std::enable_shared_from_this<EchoSession> {
 public:
  explicit EchoSession(tcp::socket s) : socket_(std::move(s)) {}
  void start() {
    out_ = fmt::format("uid={} gid={}\n", getuid(), getgid());
    write();
  }

 private:
  void write() {
    asio::async_write(socket_, asio::buffer(out_), [self = shared_from_this()](auto ec, auto) {
      if (!ec) self->read();
    });
  }
  void read() {
    asio::async_read_until(socket_, asio::dynamic_buffer(in_, 4096), '\n',
                           [self = shared_from_this()](auto ec, std::size_t n) {
                             if (ec) return;
                             self->out_ = self->in_.substr(0, n);
                             self->in_.erase(0, n);
                             self->write();
                           });
  }
  tcp::socket socket_;
  std::string in_, out_;
};

class Echod : public appliance::Service {
 public:
  std::vector<std::string> listener_names() const override { return {"echo"}; }
  void configure(appliance::config::Reader& section) override {
    crash_after_ms_ = section.integer("crash_after_ms", 0, 3600000, 0);
  }
  appliance::Result<void> post_init(appliance::DaemonContext& ctx) override {
    acceptor_.emplace(ctx.io, tcp::v4(), ctx.listeners.at("echo"));
    accept();
    if (crash_after_ms_ > 0) {
      crash_.emplace(ctx.io, std::chrono::milliseconds(crash_after_ms_));
      crash_->async_wait([](auto ec) {
        if (!ec) abort();
      });
    }
    return {};
  }
  appliance::Health health() override { return {true, "echoing"}; }
  void stop() override { acceptor_->close(); }

 private:
  void accept() {
    acceptor_->async_accept([this](boost::system::error_code ec, tcp::socket s) {
      if (ec) return;
      std::make_shared<EchoSession>(std::move(s))->start();
      accept();
    });
  }
  std::optional<tcp::acceptor> acceptor_;
  std::optional<asio::steady_timer> crash_;
  std::int64_t crash_after_ms_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Echod service;
  return appliance::run_daemon("echod", "appliance-test", service, argc, argv);
}
