// NAME
//   event_chain_test.cpp - a tampered, deleted or reordered security event is found.
#include "auth/event_chain.h"

#include <gtest/gtest.h>

namespace appliance::auth {
namespace {

std::vector<ChainedEvent> chain(int n) {
  std::vector<ChainedEvent> out;
  std::string prev = genesis_hash();
  for (int i = 0; i < n; ++i) {
    SecurityEvent e{
        std::uint64_t(i),     1'700'000'000 + i,
        "alice@example.test", "password.change",
        "alice@example.test", R"({"address":"192.0.2.1","n":)" + std::to_string(i) + "}"};
    auto c = chain_event(prev, e);
    EXPECT_TRUE(c) << c.message();
    prev = c->hash;
    out.push_back(*c);
  }
  return out;
}

std::string reason(const std::vector<ChainedEvent>& events,
                   const std::optional<ChainHead>& head = {}) {
  auto b = verify_chain(events, genesis_hash(), 0, head);
  return b ? b->reason : "ok";
}

TEST(EventChain, AnIntactChainVerifies) {
  auto events = chain(6);
  EXPECT_EQ(reason(events), "ok");
  EXPECT_EQ(reason(events, ChainHead{5, events.back().hash}), "ok");
  EXPECT_EQ(reason({}), "ok");
  // A later segment verifies from the link before it.
  std::vector<ChainedEvent> tail(events.begin() + 3, events.end());
  EXPECT_FALSE(verify_chain(tail, events[2].hash, 3));
}

TEST(EventChain, AnEditedEntryIsFound) {
  auto events = chain(6);
  events[3].event.target = "mallory@example.test";
  auto b = verify_chain(events, genesis_hash(), 0);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->index, 3u);
  EXPECT_EQ(b->reason, "entry 3 (seq 3) was edited: its hash does not match its content");
}

TEST(EventChain, AnEditedEntryWithARecomputedHashBreaksTheNextLink) {
  auto events = chain(6);
  events[2].event.action = "nothing.happened";
  events[2] = *chain_event(events[2].prev_hash, events[2].event);
  EXPECT_EQ(reason(events),
            "entry 3 (seq 3) does not link to the entry before it: that entry "
            "was changed or replaced");
}

TEST(EventChain, ADeletedEntryIsFound) {
  auto events = chain(6);
  events.erase(events.begin() + 2);
  EXPECT_EQ(reason(events), "entries with seq 2 to 2 are missing before entry 2: deleted");
}

TEST(EventChain, ReorderedEntriesAreFound) {
  auto events = chain(6);
  std::swap(events[1], events[4]);
  EXPECT_EQ(reason(events), "entry 1 has seq 4 where seq 1 belongs: entries were reordered");
}

TEST(EventChain, ATruncatedChainIsFoundAgainstItsHead) {
  auto events = chain(6);
  ChainHead head{5, events.back().hash};
  events.pop_back();
  EXPECT_EQ(reason(events), "ok");  // alone, a shorter chain looks whole
  EXPECT_EQ(reason(events, head),
            "the chain ends at seq 4, but its last known head is seq 5: "
            "entries at the end were deleted or replaced");
}

TEST(EventChain, DetailsAreCanonical) {
  SecurityEvent a{0, 1, "x", "y", "z", R"({"b":1, "a":[true,null]})"};
  SecurityEvent b = a;
  b.details = R"({"a":[true,null],"b":1})";
  EXPECT_EQ(*canonical_event(a), *canonical_event(b));
  EXPECT_EQ(
      *canonical_event(b),
      "appliance-security-event-v1\n1:0\n1:1\n1:x\n1:y\n1:z\n23:{\"a\":[true,null],\"b\":1}\n");
  a.details = "[1]";
  EXPECT_EQ(chain_event(genesis_hash(), a).message(), "event details are not a JSON object");
  a.details = "{\"a\":";
  EXPECT_FALSE(chain_event(genesis_hash(), a));
}

}  // namespace
}  // namespace appliance::auth
