// NAME
//   reply.h - SMTP replies, the EHLO capability list, and Parsed<T>.
//
// DESCRIPTION
//   A Reply is a code, an enhanced status code (RFC 3463, RFC 2034; empty for
//   the greeting and EHLO) and one or more lines of text. wire() renders it as
//   RFC 5321 multi-line text: "250-first", ..., "250 last", each ending CRLF.
//   Text that came from elsewhere is made safe on the way out: control bytes
//   become '?' and long lines are cut, so no reply can be split or forged.
//
//   Parsed<T> is Result<T> for protocol input: its error is the Reply to send.
#pragma once

#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace appliance::smtp {

struct Reply {
  int code = 0;
  std::string status;  // "5.5.2", or empty where RFC 2034 puts none
  std::vector<std::string> lines;

  bool empty() const { return code == 0; }
  bool positive() const { return code >= 200 && code < 400; }
  std::string wire() const;
  // "550 5.1.1 text" on one line, for logs and tests.
  std::string summary() const;
};

Reply make_reply(int code, std::string_view status, std::string_view text);

// What EHLO announces; the session decides from its state (TLS, mode).
struct Capabilities {
  std::uint64_t max_size = 0;
  bool starttls = false;  // only before TLS
  bool auth = false;      // only after TLS
};

Reply ehlo_reply(std::string_view host, std::string_view client, const Capabilities& caps);
Reply greeting_reply(std::string_view host);

template <class T>
class [[nodiscard]] Parsed {
 public:
  Parsed(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Parsed(Reply refusal) : v_(std::in_place_index<1>, std::move(refusal)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const {
    assert(ok());
    return std::get<0>(v_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  const Reply& reply() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Reply> v_;
};

}  // namespace appliance::smtp
