// NAME
//   admin.cpp - admin socket server and health client.
#include "common/admin.h"

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <array>

#include "common/log.h"

namespace appliance {
namespace {

using boost::asio::local::stream_protocol;
constexpr std::uint32_t kAdminMaxFrame = 64 * 1024;

class AdminSession : public std::enable_shared_from_this<AdminSession> {
 public:
  AdminSession(stream_protocol::socket socket, const AdminHandler& handler)
      : socket_(std::move(socket)), handler_(handler), decoder_(kAdminMaxFrame) {}

  void start() {
    auto cred = ipc::peer_credentials(socket_.native_handle());
    if (!cred) return;
    cred_ = *cred;
    do_read();
  }

 private:
  void do_read() {
    auto self = shared_from_this();
    socket_.async_read_some(boost::asio::buffer(buf_),
                            [self](boost::system::error_code ec, std::size_t n) {
                              if (!ec) self->on_read(n);
                            });
  }

  void on_read(std::size_t n) {
    decoder_.feed(std::string_view(buf_.data(), n));
    auto message = decoder_.next();
    if (!message) {
      log::warning("admin request rejected", {{"uid", cred_.uid}, {"reason", message.message()}});
      send(error_reply(message.message()), /*close=*/true);
      return;
    }
    if (!message->has_value()) return do_read();
    send(handler_(**message, cred_), /*close=*/false);
  }

  void send(ipc::Writer reply, bool close) {
    out_ = reply.frame();
    auto self = shared_from_this();
    boost::asio::async_write(socket_, boost::asio::buffer(out_),
                             [self, close](boost::system::error_code ec, std::size_t) {
                               if (!ec && !close) self->do_read();
                             });
  }

  stream_protocol::socket socket_;
  AdminHandler handler_;
  ipc::FrameDecoder decoder_;
  ipc::PeerCred cred_;
  std::array<char, 4096> buf_{};
  std::string out_;
};

}  // namespace

struct AdminServer::Impl {
  Impl(boost::asio::io_context& io, int fd, AdminHandler h)
      : acceptor(io, stream_protocol(), fd), handler(std::move(h)) {}

  void do_accept() {
    acceptor.async_accept([this](boost::system::error_code ec, stream_protocol::socket socket) {
      if (ec) return;  // closed by stop()
      std::make_shared<AdminSession>(std::move(socket), handler)->start();
      do_accept();
    });
  }

  stream_protocol::acceptor acceptor;
  AdminHandler handler;
};

AdminServer::AdminServer(boost::asio::io_context& io, int listen_fd, AdminHandler handler)
    : impl_(std::make_unique<Impl>(io, listen_fd, std::move(handler))) {}

AdminServer::~AdminServer() = default;

void AdminServer::start() { impl_->do_accept(); }

void AdminServer::stop() {
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
}

ipc::Writer health_reply(const std::string& daemon, const Health& health) {
  ipc::Writer w(ipc::Type::health_reply);
  w.boolean(health.ready).str(daemon).str(health.reason);
  return w;
}

ipc::Writer error_reply(const std::string& message) {
  ipc::Writer w(ipc::Type::error);
  w.str(message);
  return w;
}

Result<DaemonHealth> query_health(const std::string& socket_path,
                                  std::chrono::milliseconds timeout) {
  auto client = ipc::Client::connect(socket_path, timeout);
  if (!client) return client.error();
  ipc::Writer request(ipc::Type::health_request);
  auto reply = client->call(request, timeout);
  if (!reply) return reply.error();
  ipc::Reader r(reply->body);
  if (reply->type == ipc::Type::error) {
    std::string message = r.str(4096);
    return make_error(fmt::format("{}: {}", socket_path, message));
  }
  if (reply->type != ipc::Type::health_reply)
    return make_error(fmt::format("{}: unexpected reply {}", socket_path,
                                  ipc::type_name(reply->type)));
  DaemonHealth out;
  out.health.ready = r.boolean();
  out.daemon = r.str(256);
  out.health.reason = r.str(4096);
  if (auto end = r.end(); !end) return end.error();
  return out;
}

}  // namespace appliance
