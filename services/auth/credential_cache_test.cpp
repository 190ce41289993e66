// NAME
//   credential_cache_test.cpp - hits, expiry, size bound, invalidation; time by hand.
#include "auth/credential_cache.h"

#include <gtest/gtest.h>

namespace appliance::auth {
namespace {

using std::chrono::seconds;

TEST(CredentialCache, RemembersForTheTtlOnly) {
  ManualClock clock;
  CredentialCache cache(clock, {seconds(60), 100});
  Secret pw("a good long password");
  EXPECT_FALSE(cache.get("alice", pw));
  cache.put("alice", pw, "password", cache.generation());
  EXPECT_EQ(cache.get("alice", pw), "password");
  EXPECT_FALSE(cache.get("alice", Secret("another password")));
  EXPECT_FALSE(cache.get("bob", pw));  // the same password for another account is not known
  clock.advance(seconds(59));
  EXPECT_TRUE(cache.get("alice", pw));
  clock.advance(seconds(1));
  EXPECT_FALSE(cache.get("alice", pw));
  EXPECT_EQ(cache.size(), 0u);
}

TEST(CredentialCache, AccountAndCredentialCannotBeShiftedIntoEachOther) {
  ManualClock clock;
  CredentialCache cache(clock);
  cache.put("ab", Secret("c"), "x", cache.generation());
  EXPECT_FALSE(cache.get("a", Secret("bc")));
}

TEST(CredentialCache, OldestGoFirstWhenFull) {
  ManualClock clock;
  CredentialCache cache(clock, {seconds(60), 3});
  for (int i = 0; i < 5; ++i)
    cache.put("user" + std::to_string(i), Secret("pw"), "p", cache.generation());
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_FALSE(cache.get("user0", Secret("pw")));
  EXPECT_FALSE(cache.get("user1", Secret("pw")));
  EXPECT_TRUE(cache.get("user4", Secret("pw")));
}

TEST(CredentialCache, PasswordChangeForgetsTheAccount) {
  ManualClock clock;
  CredentialCache cache(clock);
  cache.put("alice", Secret("old password 1"), "password", cache.generation());
  cache.put("alice", Secret("apw_token"), "app:abcdefgh", cache.generation());
  cache.put("bob", Secret("bob password"), "password", cache.generation());
  cache.forget_account("alice");
  EXPECT_FALSE(cache.get("alice", Secret("old password 1")));
  EXPECT_FALSE(cache.get("alice", Secret("apw_token")));
  EXPECT_TRUE(cache.get("bob", Secret("bob password")));
}

TEST(CredentialCache, AVerificationThatRacedWithAForgetIsNotCached) {
  ManualClock clock;
  CredentialCache cache(clock);
  auto before = cache.generation();
  cache.forget_account("alice");  // the password changed while the old one was being checked
  cache.put("alice", Secret("old password 1"), "password", before);
  EXPECT_FALSE(cache.get("alice", Secret("old password 1")));
}

}  // namespace
}  // namespace appliance::auth
