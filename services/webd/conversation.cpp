// NAME
//   conversation.cpp - one HTTP connection of webd.
#include "webd/conversation.h"

#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace appliance::webd {

// The bytes a stream has queued and not yet seen written, and whether the
// connection is gone: shared by the worker that streams and the strand.
class WebConversation::Flow {
 public:
  // Waits until the window has room; false once the connection is gone
  // (said by gone(), or seen in `link` when what was queued was dropped).
  bool reserve(std::size_t bytes, const std::weak_ptr<net::Link>& link) {
    std::unique_lock lock(mutex_);
    while (!gone_ && queued_ >= kStreamWindow)
      if (!room_.wait_for(lock, std::chrono::seconds(1),
                          [&] { return gone_ || queued_ < kStreamWindow; }))
        gone_ = gone_ || link.expired();
    if (gone_ || link.expired()) return false;
    queued_ += bytes;
    return true;
  }
  void written(std::size_t bytes) {
    std::lock_guard lock(mutex_);
    queued_ -= bytes;
    room_.notify_all();
  }
  void gone() {
    std::lock_guard lock(mutex_);
    gone_ = true;
    room_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable room_;
  std::size_t queued_ = 0;
  bool gone_ = false;
};

void WebConversation::received(std::string_view bytes) {
  reader_.feed(bytes);
  next();
}

void WebConversation::goodbye(std::string_view) {
  done_ = true;
  if (auto link = link_.lock(); link && !busy_) link->close();
}

void WebConversation::closed() {
  link_.reset();
  if (flow_) flow_->gone();
}

void WebConversation::next() {
  while (!busy_ && !done_) {
    auto link = link_.lock();
    if (!link) return;
    auto read = reader_.next();
    if (!read) return;
    if (auto* error = std::get_if<ReadError>(&*read)) {
      done_ = true;
      link->send(serialize(error->response, false));
      return link->close();
    }
    auto request = std::get<ReadRequest>(std::move(*read));
    request.request.source = link->peer().address;
    if (auto known = recall_ ? recall_(request.request, request.keep_alive) : std::nullopt) {
      link->send(std::move(*known));
      if (request.keep_alive) continue;
      done_ = true;
      return link->close();
    }
    busy_ = true;
    std::weak_ptr<net::Link> weak = link;
    workers_.run([self = shared_from_this(), weak, request = std::move(request)] {
      auto response = std::make_shared<HttpResponse>(self->handler_(request.request));
      auto link = weak.lock();
      if (!link) return;
      if (response->stream) return self->stream(std::move(response), request.keep_alive, weak);
      link->post([self, response, keep_alive = request.keep_alive] {
        self->busy_ = false;
        auto link = self->link_.lock();
        if (!link) return;
        bool keep = keep_alive && !self->done_;
        link->send(serialize(*response, keep));
        if (!keep) return link->close();
        self->next();
      });
    });
  }
}

void WebConversation::stream(std::shared_ptr<HttpResponse> response, bool keep_alive,
                             const std::weak_ptr<net::Link>& weak) {
  auto flow = std::make_shared<Flow>();
  auto self = shared_from_this();
  auto queue = [&](std::string bytes) {
    if (!flow->reserve(bytes.size(), weak)) return false;
    auto link = weak.lock();
    if (!link) return false;
    link->post([self, flow, weak, bytes = std::move(bytes)]() mutable {
      auto link = weak.lock();
      if (!link) return;
      std::size_t size = bytes.size();
      link->send(std::move(bytes));
      link->when_written([flow, size] { flow->written(size); });
    });
    return true;
  };
  if (auto link = weak.lock())
    link->post([self, flow, link, head = serialize(*response, keep_alive)] {
      self->flow_ = flow;
      if (self->link_.expired()) flow->gone();
      link->send(head);
    });
  constexpr std::size_t kChunk = 64 << 10;
  std::string pending;
  auto chunk = [&] {
    bool ok = queue(fmt::format("{:x}\r\n", pending.size()) + pending + "\r\n");
    pending.clear();
    return ok;
  };
  auto made = response->stream([&](std::string_view piece) -> Result<void> {
    pending.append(piece);
    if (pending.size() >= kChunk && !chunk()) return make_error("the client went away");
    return {};
  });
  bool ok = made && (pending.empty() || chunk()) && queue("0\r\n\r\n");
  if (auto link = weak.lock())
    link->post([self, link, ok, keep_alive] {
      self->flow_.reset();
      self->busy_ = false;
      bool keep = ok && keep_alive && !self->done_;
      if (!keep) return link->close();  // a body that failed is cut short
      self->next();
    });
}

}  // namespace appliance::webd
