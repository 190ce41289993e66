// NAME
//   http_test.cpp - requests read from bytes, with their limits; responses written.
#include "webd/http.h"

#include <gtest/gtest.h>

namespace appliance::webd {
namespace {

ReadRequest request_of(std::optional<std::variant<ReadRequest, ReadError>> read) {
  EXPECT_TRUE(read.has_value());
  EXPECT_TRUE(read && std::holds_alternative<ReadRequest>(*read));
  return read && std::holds_alternative<ReadRequest>(*read) ? std::get<ReadRequest>(*read)
                                                             : ReadRequest{};
}

int refusal_of(std::optional<std::variant<ReadRequest, ReadError>> read) {
  EXPECT_TRUE(read && std::holds_alternative<ReadError>(*read));
  return read && std::holds_alternative<ReadError>(*read) ? std::get<ReadError>(*read).response.status
                                                           : 0;
}

TEST(RequestReader, AGetInPiecesIsOneRequest) {
  RequestReader r;
  r.feed("GET /healthz HT");
  EXPECT_FALSE(r.next());
  r.feed("TP/1.1\r\nHost: mail.example.test\r\n\r\n");
  auto got = request_of(r.next());
  EXPECT_EQ(got.request.method, "GET");
  EXPECT_EQ(got.request.target, "/healthz");
  EXPECT_EQ(got.request.host, "mail.example.test");
  EXPECT_TRUE(got.keep_alive);
  EXPECT_FALSE(r.next());
}

TEST(RequestReader, PipelinedRequestsComeOutInOrderWithTheirBodies) {
  RequestReader r;
  r.feed("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
         "GET /b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
  auto first = request_of(r.next());
  EXPECT_EQ(first.request.target, "/a");
  EXPECT_EQ(first.request.body, "hello");
  auto second = request_of(r.next());
  EXPECT_EQ(second.request.target, "/b");
  EXPECT_FALSE(second.keep_alive);
}

TEST(RequestReader, ChunkedBodiesAreJoined) {
  RequestReader r;
  r.feed("POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  EXPECT_EQ(request_of(r.next()).request.body, "abc");
}

TEST(RequestReader, LimitsAndGarbageAreRefusedOnce) {
  RequestReader headers;
  headers.feed("GET / HTTP/1.1\r\nX: " + std::string(kMaxHeaderBytes, 'a') + "\r\n\r\n");
  EXPECT_EQ(refusal_of(headers.next()), 431);
  EXPECT_FALSE(headers.next());  // nothing more is read after a refusal

  RequestReader body;
  body.feed("POST / HTTP/1.1\r\nContent-Length: " + std::to_string(kMaxBodyBytes + 1) + "\r\n\r\n");
  EXPECT_EQ(refusal_of(body.next()), 413);

  RequestReader garbage;
  garbage.feed("\x16\x03\x01\x02\x00 not http\r\n\r\n");
  EXPECT_EQ(refusal_of(garbage.next()), 400);

  RequestReader smuggled;
  smuggled.feed("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd");
  EXPECT_EQ(refusal_of(smuggled.next()), 400);
}

TEST(Serialize, LengthAndConnectionAreAlwaysThere) {
  HttpResponse r{200, {{"Content-Type", "text/plain"}}, "hi"};
  EXPECT_EQ(serialize(r, true),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
            "Connection: keep-alive\r\n\r\nhi");
  EXPECT_NE(serialize(r, false).find("Connection: close\r\n"), std::string::npos);
}

TEST(Serialize, AStreamedBodyIsChunkedAndNotInTheHead) {
  HttpResponse r{200, {{"Content-Type", "application/x-tar"}}, {}};
  r.stream = [](const HttpResponse::Put& put) { return put("body"); };
  EXPECT_EQ(serialize(r, true),
            "HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n"
            "Connection: keep-alive\r\n\r\n");
}

TEST(JsonError, HasAStableCodeAndAMessage) {
  auto e = json_error(404, "not_found", "no such page");
  EXPECT_EQ(e.status, 404);
  EXPECT_EQ(e.body, "{\"error\":{\"code\":\"not_found\",\"message\":\"no such page\"}}\n");
}

}  // namespace
}  // namespace appliance::webd
