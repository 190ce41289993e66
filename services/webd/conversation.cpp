// NAME
//   conversation.cpp - one HTTP connection of webd.
#include "webd/conversation.h"

namespace appliance::webd {

void WebConversation::received(std::string_view bytes) {
  reader_.feed(bytes);
  next();
}

void WebConversation::goodbye(std::string_view) {
  done_ = true;
  if (auto link = link_.lock(); link && !busy_) link->close();
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
    workers_.run([self = shared_from_this(), request = std::move(request)] {
      auto response = std::make_shared<HttpResponse>(self->handler_(request.request));
      auto link = self->link_.lock();
      if (!link) return;
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

}  // namespace appliance::webd
