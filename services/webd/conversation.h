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
//
//   A streamed response (HttpResponse::stream) keeps its worker while its
//   body is made: the head goes out, then each piece as a chunk of at least
//   64 KiB (the last may be smaller), and the worker waits whenever more
//   than kStreamWindow bytes are queued and not yet written, so a client
//   that reads slowly holds no more than that in memory. When the
//   connection goes, the stream's next put fails and the worker is free.
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

constexpr std::size_t kStreamWindow = 1 << 20;

class WebConversation final : public net::Conversation,
                              public std::enable_shared_from_this<WebConversation> {
 public:
  WebConversation(Handler handler, Recall recall, net::Workers& workers)
      : handler_(std::move(handler)), recall_(std::move(recall)), workers_(workers) {}

  void start(std::shared_ptr<net::Link> link) override { link_ = link; }
  void received(std::string_view bytes) override;
  void goodbye(std::string_view) override;
  void closed() override;

 private:
  class Flow;
  void next();
  // On the worker: the head, then the body as it is made; then the next request.
  void stream(std::shared_ptr<HttpResponse> response, bool keep_alive,
              const std::weak_ptr<net::Link>& link);

  Handler handler_;
  Recall recall_;
  net::Workers& workers_;
  std::weak_ptr<net::Link> link_;  // the link owns this conversation
  RequestReader reader_;
  bool busy_ = false, done_ = false;
  std::shared_ptr<Flow> flow_;  // of the response being streamed; strand only
};

}  // namespace appliance::webd
