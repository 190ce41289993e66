// NAME
//   sign.cpp - the header section kept, the body hashed, the field composed.
#include "proto/dkim/sign.h"

#include <algorithm>

namespace appliance::dkim {

namespace {

constexpr std::string_view kSigned[] = {
    "from",          "sender",           "reply-to",          "subject",
    "date",          "message-id",       "to",                "cc",
    "mime-version",  "content-type",     "content-transfer-encoding",
    "content-id",    "content-description", "in-reply-to",    "references",
    "list-id",       "list-help",        "list-unsubscribe",  "list-unsubscribe-post",
    "list-subscribe", "list-post",       "list-owner",        "list-archive",
};

}  // namespace

std::vector<std::string> headers_to_sign(const std::vector<std::string_view>& fields) {
  std::vector<std::string> names;
  for (std::string_view name : kSigned) {
    auto n = std::count_if(fields.begin(), fields.end(),
                           [&](std::string_view f) { return same_name(field_name(f), name); });
    if (name == "from") ++n;
    for (long i = 0; i < n; ++i) names.emplace_back(name);
  }
  return names;
}

MessageHasher::MessageHasher(std::size_t header_limit)
    : canon_(Canon::relaxed, [this](std::string_view s) { sha_.update(s); }),
      collector_(header_limit, [this](std::string_view s) { canon_.write(s); }) {}

void MessageHasher::write(std::string_view bytes) { collector_.write(bytes); }

Result<void> MessageHasher::finish() {
  if (collector_.overflowed()) return make_error("the header section is too long to sign");
  canon_.finish();
  body_hash_ = sha_.finish();
  auto fields = split_fields(collector_.header());
  if (std::none_of(fields.begin(), fields.end(),
                   [](std::string_view f) { return same_name(field_name(f), "from"); }))
    return make_error("the message has no From field");
  return {};
}

Prepared prepare_signature(const MessageHasher& message, Algorithm a, std::string_view domain,
                           std::string_view selector, std::uint64_t timestamp) {
  auto fields = split_fields(message.header());
  SignatureFields f;
  f.algorithm = a;
  f.domain = domain;
  f.selector = selector;
  f.headers = headers_to_sign(fields);
  f.body_hash = message.body_hash();
  f.timestamp = timestamp;
  Prepared p;
  p.field = compose_signature(f);
  p.input = signing_input(a, header_hash_input(Canon::relaxed, fields, f.headers, p.field));
  return p;
}

}  // namespace appliance::dkim
