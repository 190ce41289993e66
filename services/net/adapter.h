// NAME
//   adapter.h - a daemon's socket-free conversation behind a net::Conversation.
//
// DESCRIPTION
//   pop3d's and imapd's conversations talk to an Io of five functions (send,
//   start_tls, close, work, post) so that tests can drive them with strings.
//   Adapter builds that Io over the connection's Link and the daemon's
//   Workers, and forwards the connection's calls. The Link owns the
//   conversation, so the Io holds it weakly.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "net/link.h"
#include "net/workers.h"

namespace appliance::net {

// Inner(const Services&, Config, std::string peer_address, Io); Io is an
// aggregate {send, start_tls, close, work, post}.
template <class Inner, class Io, class Services, class Config>
class Adapter final : public Conversation {
 public:
  Adapter(const Services& services, Workers& workers, Config config)
      : services_(services), workers_(workers), config_(std::move(config)) {}

  void start(std::shared_ptr<Link> link) override {
    std::weak_ptr<Link> weak = link;
    Io io{
        [weak](std::string bytes) {
          if (auto l = weak.lock()) l->send(std::move(bytes));
        },
        [weak](std::function<void(bool)> done) {
          if (auto l = weak.lock()) l->start_tls(std::move(done));
        },
        [weak] {
          if (auto l = weak.lock()) l->close();
        },
        [&workers = workers_](std::function<void()> fn) { workers.run(std::move(fn)); },
        [weak](std::function<void()> fn) {
          if (auto l = weak.lock()) l->post(std::move(fn));
        },
    };
    // A conversation that streams long replies waits for them to be written.
    if constexpr (requires { io.when_written; })
      io.when_written = [weak](std::function<void()> fn) {
        if (auto l = weak.lock()) l->when_written(std::move(fn));
      };
    inner_ = std::make_shared<Inner>(services_, config_, link->peer().address, std::move(io));
    inner_->start();
  }
  void received(std::string_view bytes) override { inner_->received(bytes); }
  void goodbye(std::string_view why) override { inner_->goodbye(why); }
  void closed() override {
    if (inner_) inner_->closed();
  }

 private:
  const Services& services_;
  Workers& workers_;
  Config config_;
  std::shared_ptr<Inner> inner_;
};

}  // namespace appliance::net
