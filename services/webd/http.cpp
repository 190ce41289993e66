// NAME
//   http.cpp - HTTP/1.1 requests read with Beast's parser; responses written.
#include "webd/http.h"

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace appliance::webd {

namespace http = boost::beast::http;

struct RequestReader::Parser {
  Parser() {
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(kMaxBodyBytes);
    parser.eager(true);
  }
  http::request_parser<http::string_body> parser;
};

RequestReader::RequestReader() : parser_(std::make_unique<Parser>()) {}
RequestReader::~RequestReader() = default;

void RequestReader::feed(std::string_view bytes) {
  if (!failed_) buffer_.append(bytes);
}

namespace {

ReadError refusal(const boost::system::error_code& ec) {
  if (ec == http::error::header_limit)
    return {json_error(431, "headers_too_large", "request line and headers over 16 KiB")};
  if (ec == http::error::body_limit)
    return {json_error(413, "body_too_large", "request body over 1 MiB")};
  if (ec == http::error::bad_transfer_encoding)
    return {json_error(501, "unsupported_encoding", "transfer encoding not supported")};
  return {json_error(400, "bad_request", "malformed HTTP request: " + ec.message())};
}

}  // namespace

std::optional<std::variant<ReadRequest, ReadError>> RequestReader::next() {
  if (failed_) return std::nullopt;
  while (!parser_->parser.is_done()) {
    if (buffer_.empty()) return std::nullopt;
    boost::system::error_code ec;
    std::size_t used = parser_->parser.put(boost::asio::buffer(buffer_), ec);
    buffer_.erase(0, used);
    if (ec == http::error::need_more) return std::nullopt;
    if (ec) {
      failed_ = true;
      buffer_.clear();
      return refusal(ec);
    }
  }
  auto message = parser_->parser.release();
  parser_ = std::make_unique<Parser>();  // a Beast parser reads one message
  ReadRequest out;
  out.keep_alive = message.keep_alive();
  out.request.method = std::string(message.method_string());
  out.request.target = std::string(message.target());
  if (auto host = message.find(http::field::host); host != message.end())
    out.request.host = std::string(host->value());
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  out.request.body = std::move(message.body());
  return out;
}

namespace {

std::string_view reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
  }
  return "Status";
}

}  // namespace

std::string serialize(const HttpResponse& response, bool keep_alive) {
  std::string out = fmt::format("HTTP/1.1 {} {}\r\n", response.status, reason(response.status));
  for (const auto& [name, value] : response.headers) out += fmt::format("{}: {}\r\n", name, value);
  if (response.stream)  // the body follows as chunks (RFC 9112 7.1)
    out += "Transfer-Encoding: chunked\r\n";
  else
    out += fmt::format("Content-Length: {}\r\n", response.body.size());
  out += fmt::format("Connection: {}\r\n\r\n", keep_alive ? "keep-alive" : "close");
  out += response.body;
  return out;
}

}  // namespace appliance::webd
