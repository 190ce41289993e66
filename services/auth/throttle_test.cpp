// NAME
//   throttle_test.cpp - back-off, lock, decay, /64 grouping, trusted sources, bounds.
#include "auth/throttle.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace appliance::auth {
namespace {

using std::chrono::seconds;

const IpAddress kStranger = *parse_ip("198.51.100.9");
const IpAddress kOwner = *parse_ip("192.0.2.10");

TEST(Throttle, BackOffDoublesAfterTheFreeFailures) {
  ManualClock clock;
  Throttle t(clock);  // 3 free, then 1 s, 2 s, 4 s ...
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(t.check("alice", kStranger).allowed);
    t.failure("alice", kStranger);
  }
  EXPECT_TRUE(t.check("alice", kStranger).allowed);
  t.failure("alice", kStranger);
  auto d = t.check("alice", kStranger);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, seconds(1));
  EXPECT_EQ(d.reason, "too many failed logins from this address");
  clock.advance(seconds(1));
  t.failure("alice", kStranger);
  EXPECT_EQ(t.check("alice", kStranger).retry_after, seconds(2));
  clock.advance(seconds(2));
  t.failure("alice", kStranger);
  EXPECT_EQ(t.check("alice", kStranger).retry_after, seconds(4));
}

TEST(Throttle, AccountCountersHoldEveryAddress) {
  ManualClock clock;
  Throttle t(clock);
  for (int i = 0; i < 5; ++i) t.failure("alice", *parse_ip("203.0.113." + std::to_string(i)));
  auto d = t.check("alice", *parse_ip("203.0.113.77"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, "too many failed logins for this account");
  EXPECT_TRUE(t.check("bob", *parse_ip("203.0.113.77")).allowed);
}

TEST(Throttle, LocksAtTheThresholdAndTheLockEnds) {
  ManualClock clock;
  ThrottleRules rules;
  rules.max_delay = seconds(0);  // isolate the lock from the back-off
  Throttle t(clock, rules);
  bool locked = false;
  for (int i = 0; i < 20; ++i)
    locked = t.failure("alice", *parse_ip("203.0.113." + std::to_string(i)));
  EXPECT_TRUE(locked);  // the 20th failure locks: send the notice
  auto d = t.check("alice", *parse_ip("203.0.113.200"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, "account temporarily locked after too many failed logins");
  EXPECT_EQ(d.retry_after, seconds(900));
  clock.advance(seconds(900));
  EXPECT_TRUE(t.check("alice", *parse_ip("203.0.113.200")).allowed);
}

TEST(Throttle, FailuresDecay) {
  ManualClock clock;
  Throttle t(clock);
  for (int i = 0; i < 8; ++i) t.failure("alice", kStranger);
  // 8 failures halve every 15 minutes: after an hour, 0.5 remain.
  clock.advance(seconds(3600));
  t.failure("alice", kStranger);
  EXPECT_TRUE(t.check("alice", kStranger).allowed);
}

TEST(Throttle, AnIpv6SourceCountsByItsSlash64) {
  ManualClock clock;
  Throttle t(clock);
  EXPECT_EQ(Throttle::source_key(*parse_ip("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
  EXPECT_EQ(Throttle::source_key(kOwner), "192.0.2.10");
  for (int i = 1; i <= 4; ++i)
    t.failure("user" + std::to_string(i), *parse_ip("2001:db8:1:2::" + std::to_string(i)));
  EXPECT_FALSE(t.check("other", *parse_ip("2001:db8:1:2:ffff::1")).allowed);
  EXPECT_TRUE(t.check("other", *parse_ip("2001:db8:1:3::1")).allowed);
}

TEST(Throttle, AStrangerCannotLockTheOwnerOut) {
  ManualClock clock;
  Throttle t(clock);
  t.success("alice", kOwner);
  for (int i = 0; i < 50; ++i) {
    t.failure("alice", *parse_ip("203.0.113." + std::to_string(i)));
    clock.advance(seconds(1));
  }
  EXPECT_FALSE(t.check("alice", *parse_ip("203.0.113.99")).allowed);
  EXPECT_TRUE(t.check("alice", kOwner).allowed);  // a source that logged in recently
  clock.advance(seconds(31 * 24 * 3600));
  EXPECT_TRUE(t.check("alice", *parse_ip("203.0.113.99")).allowed);  // and every lock ends
}

TEST(Throttle, SuccessClearsTheCounters) {
  ManualClock clock;
  Throttle t(clock);
  for (int i = 0; i < 4; ++i) t.failure("alice", kOwner);
  clock.advance(seconds(1));
  t.success("alice", kOwner);
  t.failure("alice", kOwner);
  EXPECT_TRUE(t.check("alice", kOwner).allowed);
}

TEST(Throttle, MemoryIsBounded) {
  ManualClock clock;
  ThrottleRules rules;
  rules.max_entries = 16;
  Throttle t(clock, rules);
  for (int i = 0; i < 1000; ++i)
    t.failure("user" + std::to_string(i), *parse_ip("2001:db8:" + std::to_string(i) + "::1"));
  EXPECT_LE(t.tracked(), 2u * 16);
  // The oldest were forgotten; the newest are still counted.
  for (int i = 0; i < 5; ++i) t.failure("user999", kStranger);
  EXPECT_FALSE(t.check("user999", kOwner).allowed);
}

TEST(Throttle, SharedByThreads) {
  ManualClock clock;
  ThrottleRules rules;
  rules.max_entries = 64;
  Throttle t(clock, rules);
  std::vector<std::thread> threads;
  for (int n = 0; n < 4; ++n)
    threads.emplace_back([&t, n] {
      for (int i = 0; i < 500; ++i) {
        auto source = *parse_ip("203.0." + std::to_string(n) + "." + std::to_string(i % 250));
        (void)t.check("user" + std::to_string(i % 7), source);
        t.failure("user" + std::to_string(i % 7), source);
        if (i % 50 == 0) t.success("user" + std::to_string(i % 7), source);
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_LE(t.tracked(), 3u * 64);
}

}  // namespace
}  // namespace appliance::auth
