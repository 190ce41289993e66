// NAME
//   event_chain.cpp - canonical encoding, hashing and verification of security events.
#include "auth/event_chain.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <memory>

#include <nlohmann/json.hpp>

namespace appliance::auth {
namespace {

void field(std::string& out, std::string_view value) {
  out += fmt::format("{}:", value.size());
  out += value;
  out += '\n';
}

std::string sha256(std::string_view a, std::string_view b) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx.get(), a.data(), a.size());
  EVP_DigestUpdate(ctx.get(), b.data(), b.size());
  EVP_DigestFinal_ex(ctx.get(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// Why entry i, whose seq is not the one expected, breaks the chain.
std::string misplaced(const std::vector<ChainedEvent>& events, std::size_t i,
                      std::uint64_t expected) {
  std::uint64_t seq = events[i].event.seq;
  for (std::size_t j = i + 1; j < events.size(); ++j)
    if (events[j].event.seq == expected)
      return fmt::format("entry {} has seq {} where seq {} belongs: entries were reordered", i, seq,
                         expected);
  if (seq > expected)
    return fmt::format("entries with seq {} to {} are missing before entry {}: deleted", expected,
                       seq - 1, i);
  return fmt::format("entry {} has seq {}, expected {}: out of order or repeated", i, seq,
                     expected);
}

}  // namespace

std::string genesis_hash() {
  return std::string(32, '\0');
}

Result<std::string> canonical_event(const SecurityEvent& e) {
  auto details = nlohmann::json::parse(e.details, nullptr, false);
  if (details.is_discarded() || !details.is_object())
    return make_error("event details are not a JSON object");
  std::string out = "appliance-security-event-v1\n";
  field(out, std::to_string(e.seq));
  field(out, std::to_string(e.time));
  field(out, e.actor);
  field(out, e.action);
  field(out, e.target);
  field(out, details.dump());  // std::map underneath: keys sorted
  return out;
}

Result<ChainedEvent> chain_event(const std::string& prev_hash, SecurityEvent event) {
  auto canonical = canonical_event(event);
  if (!canonical) return canonical.error();
  std::string hash = sha256(prev_hash, *canonical);
  return ChainedEvent{std::move(event), prev_hash, std::move(hash)};
}

std::optional<ChainBreak> verify_chain(const std::vector<ChainedEvent>& events,
                                       const std::string& start_prev, std::uint64_t start_seq,
                                       const std::optional<ChainHead>& expected_head) {
  std::string prev = start_prev;
  std::uint64_t seq = start_seq;
  for (std::size_t i = 0; i < events.size(); ++i, ++seq) {
    const ChainedEvent& c = events[i];
    auto canonical = canonical_event(c.event);
    if (!canonical) return ChainBreak{i, fmt::format("entry {}: {}", i, canonical.message())};
    if (!same(sha256(c.prev_hash, *canonical), c.hash))
      return ChainBreak{i, fmt::format("entry {} (seq {}) was edited: its hash does not match "
                                       "its content",
                                       i, c.event.seq)};
    if (c.event.seq != seq) return ChainBreak{i, misplaced(events, i, seq)};
    if (!same(c.prev_hash, prev))
      return ChainBreak{i, fmt::format("entry {} (seq {}) does not link to the entry before it: "
                                       "that entry was changed or replaced",
                                       i, seq)};
    prev = c.hash;
  }
  if (expected_head &&
      (seq == 0 || seq - 1 != expected_head->seq || !same(prev, expected_head->hash)))
    return ChainBreak{events.size(),
                      fmt::format("the chain ends at seq {}, but its last known head is seq {}: "
                                  "entries at the end were deleted or replaced",
                                  seq == 0 ? 0 : seq - 1, expected_head->seq)};
  return std::nullopt;
}

}  // namespace appliance::auth
