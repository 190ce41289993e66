// NAME
//   conversation.h - one HTTP connection of webd.
//
// DESCRIPTION
//   Requests are read with RequestReader and answered one at a time, in
//   order: the handler runs on a worker thread (it may ask the store), the
//   response comes back on the connection's strand and is written, and the
//   next request is taken. A request `recall` answers from memory
//   (recent.h) is answered at once on the strand, without the worker. A read
//   error is answered and the connection closed; so is a request that asks
//   for Connection: close.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "net/link.h"
#include "net/workers.h"
#include "webd/http.h"

namespace appliance::webd {

using Handler = std::function<HttpResponse(const HttpRequest&)>;
// The answer, serialized, when it is known without the handler; may be empty.
using Recall = std::function<std::optional<std::string>(const HttpRequest&, bool keep_alive)>;

class WebConversation final : public net::Conversation,
                              public std::enable_shared_from_this<WebConversation> {
 public:
  WebConversation(Handler handler, Recall recall, net::Workers& workers)
      : handler_(std::move(handler)), recall_(std::move(recall)), workers_(workers) {}

  void start(std::shared_ptr<net::Link> link) override { link_ = link; }
  void received(std::string_view bytes) override;
  void goodbye(std::string_view) override;
  void closed() override { link_.reset(); }

 private:
  void next();

  Handler handler_;
  Recall recall_;
  net::Workers& workers_;
  std::weak_ptr<net::Link> link_;  // the link owns this conversation
  RequestReader reader_;
  bool busy_ = false, done_ = false;
};

}  // namespace appliance::webd
