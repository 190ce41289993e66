// NAME
//   http.h - HTTP/1.1 requests read from bytes, responses written to bytes.
//
// DESCRIPTION
//   RequestReader is fed what the connection reads and yields whole
//   requests, one at a time, in order (pipelined requests wait in its
//   buffer). It parses with Beast's parser, with the limits set here, where
//   the read happens: 16 KiB of request line and headers, 1 MiB of body.
//   A request that breaks them, or is not HTTP, yields an error response
//   (400, 413, 431, 501) after which the connection closes.
//
//   serialize() writes a response with Content-Length and the Connection
//   header for keep-alive or close.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "webd/autoconfig.h"

namespace appliance::webd {

inline constexpr std::size_t kMaxHeaderBytes = 16 * 1024;
inline constexpr std::size_t kMaxBodyBytes = 1024 * 1024;

struct ReadRequest {
  HttpRequest request;
  bool keep_alive = true;
};
// A refusal: send it and close.
struct ReadError {
  HttpResponse response;
};

class RequestReader {
 public:
  RequestReader();
  ~RequestReader();
  RequestReader(const RequestReader&) = delete;
  RequestReader& operator=(const RequestReader&) = delete;

  void feed(std::string_view bytes);
  // The next whole request, an error, or nothing yet.
  std::optional<std::variant<ReadRequest, ReadError>> next();

 private:
  struct Parser;
  std::unique_ptr<Parser> parser_;
  std::string buffer_;
  bool failed_ = false;
};

// The head and body of a response; only the head of a streamed one.
std::string serialize(const HttpResponse& response, bool keep_alive);

// A JSON error body {"error": {"code": ..., "message": ...}} with its status.
HttpResponse json_error(int status, std::string_view code, std::string_view message);

}  // namespace appliance::webd
