// NAME
//   event_chain.h - security events linked by hashes, so that tampering shows.
//
// DESCRIPTION
//   Each event (sequence number, time, actor, action, target, details as a
//   JSON object) is stored with prev_hash, the hash of the event before it,
//   and hash = SHA-256(prev_hash || canonical encoding of the event). The
//   first event's prev_hash is 32 zero bytes.
//
//   The canonical encoding is a version line, then every field as
//   "<length>:<bytes>\n" in a fixed order; details are re-serialised with
//   sorted keys and no spaces, so equal JSON hashes equally.
//
//   verify_chain() walks a sequence and reports the first broken link: an
//   entry whose content was edited, an entry missing (deleted), entries out
//   of order, or a link that does not connect. Deleting entries at the end
//   leaves a valid shorter chain; pass the last known head (kept elsewhere,
//   e.g. sent in a daily notice) to catch that too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace appliance::auth {

struct SecurityEvent {
  std::uint64_t seq = 0;
  std::int64_t time = 0;       // Unix seconds
  std::string actor;           // who did it: an account, "keyd", "appliancectl"
  std::string action;          // "password.change", "api_key.create", ...
  std::string target;          // what it was done to
  std::string details = "{}";  // a JSON object
};

struct ChainedEvent {
  SecurityEvent event;
  std::string prev_hash;  // 32 bytes
  std::string hash;       // 32 bytes
};

struct ChainHead {
  std::uint64_t seq = 0;
  std::string hash;
};

struct ChainBreak {
  std::size_t index = 0;  // position in the sequence given
  std::string reason;
};

std::string genesis_hash();
Result<std::string> canonical_event(const SecurityEvent& event);
// The next link: prev is the hash of the last event, or genesis_hash().
Result<ChainedEvent> chain_event(const std::string& prev_hash, SecurityEvent event);

// Verifies events starting at `start_seq` whose first link is `start_prev`.
std::optional<ChainBreak> verify_chain(const std::vector<ChainedEvent>& events,
                                       const std::string& start_prev, std::uint64_t start_seq,
                                       const std::optional<ChainHead>& expected_head = {});

}  // namespace appliance::auth
