// NAME
//   hold.h - a message held until its end, so that fields computed from the
//   whole of it (DKIM-Signature, Authentication-Results) can go above it.
//
// DESCRIPTION
//   HeldBytes keeps the bytes as they come: in memory up to kPlainHold (most
//   mail, as Delivery keeps its copy for the summary), and once a message
//   grows past that, sealed in a BlobWriter under a key made for this message
//   alone (in memory up to a megabyte more, beyond it in an unnamed spool
//   file), so a large message is never held whole in memory and never lies
//   on disk in clear. replay() gives them back, in pieces, unchanged.
//   Sealing every message cost a key derivation, zstd and AES-GCM both ways
//   (some 6% of smtpd's CPU time under load) for bytes that stay in memory
//   anyway.
//
//   MessageHold is what the conversation holds a message with: write() as
//   the body streams in; at the end, on a worker, above() works out the
//   fields to put above the message (blocking: keyd, DNS) and replay() then
//   passes the message on to the store, unless filtering() refuses it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "smtpd/filter.h"
#include "store/blob_writer.h"

namespace appliance::smtpd {

using Sink = std::function<Result<void>(std::string_view)>;

constexpr std::size_t kPlainHold = 1u << 20;

class HeldBytes {
 public:
  explicit HeldBytes(std::filesystem::path spool) : spool_(std::move(spool)) {}
  Result<void> write(std::string_view bytes);
  Result<void> replay(const Sink& sink);
  bool sealed() const { return held_ != nullptr; }

 private:
  Result<void> seal();

  std::filesystem::path spool_;
  std::string plain_;
  std::shared_ptr<const store::AccountKeys> keys_;
  std::unique_ptr<store::BlobWriter> held_;
};

class MessageHold {
 public:
  virtual ~MessageHold() = default;
  virtual Result<void> write(std::string_view bytes) = 0;
  // Blocking. The header fields to put above the message, each ending in CRLF.
  virtual Result<std::string> above(std::uint64_t now) = 0;
  virtual Result<void> replay(const Sink& sink) = 0;
  // After above(): what a content filter made of the message (filter.h).
  virtual Filtering filtering() const { return {}; }
  // After above(): whether SPF passed for the envelope sender (a null one
  // never passes), and the header section as it came (notices.h).
  virtual bool sender_verified() const { return false; }
  virtual std::string header() const { return {}; }
};

}  // namespace appliance::smtpd
