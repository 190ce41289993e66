// NAME
//   sign.h - what a DKIM signer computes before the key signs.
//
// DESCRIPTION
//   MessageHasher takes a message as it streams in (the bytes the store gets,
//   trace header first): it keeps the header section, up to a limit, and
//   hashes the body as it passes with relaxed canonicalization, so a large
//   message is never held whole. prepare_signature() then composes the
//   DKIM-Signature field for one key (c=relaxed/relaxed, t=, the headers of
//   headers_to_sign()) and the input that key signs (signing_input() of
//   crypto.h). The caller has the key sign it (keyd) and finishes the field
//   with add_signature_value(). Pure.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "proto/dkim/canon.h"
#include "proto/dkim/crypto.h"
#include "proto/dkim/header.h"
#include "proto/dkim/signature.h"

namespace appliance::dkim {

constexpr std::size_t kHeaderLimit = 256 * 1024;

// The fields signed when present (RFC 6376 5.4.1), each as often as it
// occurs; From once more, so that no From can be added above it.
std::vector<std::string> headers_to_sign(const std::vector<std::string_view>& fields);

class MessageHasher {
 public:
  explicit MessageHasher(std::size_t header_limit = kHeaderLimit);
  void write(std::string_view bytes);
  // Ends the message; refused when the header section was over the limit
  // or has no From.
  Result<void> finish();
  const std::string& header() const { return collector_.header(); }
  const std::string& body_hash() const { return body_hash_; }

 private:
  Sha256 sha_;
  BodyCanon canon_;
  HeaderCollector collector_;
  std::string body_hash_;
};

struct Prepared {
  std::string field;  // "DKIM-Signature: ...; b=", no CRLF
  std::string input;  // what the key signs
};

Prepared prepare_signature(const MessageHasher& message, Algorithm a, std::string_view domain,
                           std::string_view selector, std::uint64_t timestamp);

}  // namespace appliance::dkim
