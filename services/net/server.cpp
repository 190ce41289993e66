// NAME
//   server.cpp - accept connections and give each to a conversation.
#include "net/server.h"

#include <sys/socket.h>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <list>
#include <mutex>

#include <fmt/format.h>

#include "net/connection.h"

namespace appliance::net {

namespace asio = boost::asio;
using asio::ip::tcp;

struct Server::Listener : std::enable_shared_from_this<Listener> {
  Listener(asio::io_context& io, ListenerOptions options, TlsSource tls,
           ConversationFactory factory)
      : io(io),
        options(std::move(options)),
        tls(std::move(tls)),
        factory(std::move(factory)),
        acceptor(asio::make_strand(io)),
        active(std::make_shared<std::atomic<std::size_t>>(0)) {}

  void accept() {
    acceptor.async_accept(asio::make_strand(io), [self = shared_from_this()](
                                                     const boost::system::error_code& ec,
                                                     tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !self->acceptor.is_open()) return;
      if (!ec) self->admit(std::move(socket));
      self->accept();
    });
  }

  void admit(tcp::socket socket) {
    if (*active >= options.max_connections) return;  // the socket closes as it goes
    auto connection =
        std::make_shared<Connection>(std::move(socket), options, tls, factory(), active);
    {
      std::lock_guard lock(mutex);
      open.remove_if([](const std::weak_ptr<Connection>& c) { return c.expired(); });
      open.push_back(connection);
    }
    connection->launch();
  }

  asio::io_context& io;
  const ListenerOptions options;
  const TlsSource tls;
  const ConversationFactory factory;
  tcp::acceptor acceptor;  // used on its strand only
  std::shared_ptr<std::atomic<std::size_t>> active;
  std::mutex mutex;  // guards the fields below
  std::list<std::weak_ptr<Connection>> open;
  bool stopped = false;
};

Server::Server(asio::io_context& io, ListenerOptions options, TlsSource tls,
               ConversationFactory factory)
    : listener_(std::make_shared<Listener>(io, std::move(options), std::move(tls),
                                           std::move(factory))) {}

Server::~Server() { stop(); }

Result<void> Server::start(int listening_fd) {
  const std::string& name = listener_->options.name;
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getsockname(listening_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    return make_error(fmt::format("listener {}: {}", name, std::strerror(errno)));
  boost::system::error_code ec;
  listener_->acceptor.assign(address.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(),
                             listening_fd, ec);
  if (ec) return make_error(fmt::format("listener {}: {}", name, ec.message()));
  asio::post(listener_->acceptor.get_executor(),
             [listener = listener_] { listener->accept(); });
  return {};
}

void Server::stop(std::string_view why) {
  std::list<std::weak_ptr<Connection>> open;
  {
    std::lock_guard lock(listener_->mutex);
    if (listener_->stopped) return;
    listener_->stopped = true;
    open.swap(listener_->open);
  }
  asio::post(listener_->acceptor.get_executor(), [listener = listener_] {
    boost::system::error_code ignored;
    listener->acceptor.close(ignored);
  });
  for (auto& weak : open)
    if (auto connection = weak.lock()) connection->request_goodbye(std::string(why));
}

std::size_t Server::connections() const { return *listener_->active; }

const ListenerOptions& Server::options() const { return listener_->options; }

}  // namespace appliance::net
