// Tests of the TTL cache: what is kept, for how long, and what never is.
#include "dns/ttl_cache.h"

#include <gtest/gtest.h>

#include <map>

namespace appliance::dns {
namespace {

using namespace std::chrono_literals;

// Answers what a test sets, counting the questions that reach it.
class Counting : public Resolver {
 public:
  std::map<std::string, Lookup<std::string>> txt_answers;
  int asked = 0;

  Lookup<Mx> mx(std::string_view) override {
    ++asked;
    return {Outcome::kAnswer, {Mx{10, "mx.a.test"}}, {}, false, 60};
  }
  Lookup<std::string> addresses(std::string_view) override {
    ++asked;
    return {Outcome::kAnswer, {"192.0.2.1"}, {}, false, 60};
  }
  Lookup<std::string> txt(std::string_view name) override {
    ++asked;
    auto it = txt_answers.find(std::string(name));
    if (it == txt_answers.end()) return {Outcome::kNoDomain, {}, "no such domain", false, 0};
    return it->second;
  }
  Lookup<Tlsa> tlsa(std::string_view) override {
    ++asked;
    return {Outcome::kTemporary, {}, "timeout", false, 0};
  }
};

class TtlCacheTest : public ::testing::Test {
 protected:
  std::chrono::steady_clock::time_point now_{};
  Counting dns_;
  TtlCache::Clock clock_ = [this] { return now_; };
};

TEST_F(TtlCacheTest, KeepsAnAnswerForItsTtl) {
  dns_.txt_answers["a.test"] = {Outcome::kAnswer, {"v=spf1 -all"}, {}, false, 300};
  TtlCache cache(dns_, {}, clock_);
  EXPECT_EQ(cache.txt("a.test").records, std::vector<std::string>{"v=spf1 -all"});
  now_ += 299s;
  auto again = cache.txt("A.Test");  // names compare without case
  EXPECT_TRUE(again.ok());
  EXPECT_EQ(again.records, std::vector<std::string>{"v=spf1 -all"});
  EXPECT_EQ(dns_.asked, 1);
  now_ += 1s;
  EXPECT_TRUE(cache.txt("a.test").ok());
  EXPECT_EQ(dns_.asked, 2);
}

TEST_F(TtlCacheTest, KeepsPermanentFailuresWithATtl) {
  dns_.txt_answers["_dmarc.a.test"] = {Outcome::kNoData, {}, "no record", false, 120};
  TtlCache cache(dns_, {}, clock_);
  EXPECT_EQ(cache.txt("_dmarc.a.test").outcome, Outcome::kNoData);
  EXPECT_EQ(cache.txt("_dmarc.a.test").outcome, Outcome::kNoData);
  EXPECT_EQ(dns_.asked, 1);
}

TEST_F(TtlCacheTest, NeverKeepsTemporaryFailuresOrTtlZero) {
  dns_.txt_answers["zero.test"] = {Outcome::kAnswer, {"x"}, {}, false, 0};
  TtlCache cache(dns_, {}, clock_);
  cache.txt("zero.test");
  cache.txt("zero.test");
  cache.txt("nowhere.test");  // NXDOMAIN without an SOA: TTL 0
  cache.txt("nowhere.test");
  cache.tlsa("_25._tcp.mx.a.test");
  EXPECT_EQ(cache.tlsa("_25._tcp.mx.a.test").outcome, Outcome::kTemporary);
  EXPECT_EQ(dns_.asked, 6);
  EXPECT_EQ(cache.size(), 0u);
}

TEST_F(TtlCacheTest, TypesAreKeptApart) {
  dns_.txt_answers["a.test"] = {Outcome::kAnswer, {"v=spf1 -all"}, {}, false, 300};
  TtlCache cache(dns_, {}, clock_);
  cache.txt("a.test");
  EXPECT_EQ(cache.mx("a.test").records.front().host, "mx.a.test");
  EXPECT_EQ(cache.addresses("a.test").records, std::vector<std::string>{"192.0.2.1"});
  EXPECT_EQ(cache.txt("a.test").records, std::vector<std::string>{"v=spf1 -all"});
  EXPECT_EQ(dns_.asked, 3);
  EXPECT_EQ(cache.size(), 3u);
}

TEST_F(TtlCacheTest, TtlIsCappedAndEntriesAreBounded) {
  dns_.txt_answers["a.test"] = {Outcome::kAnswer, {"a"}, {}, false, 86400};
  dns_.txt_answers["b.test"] = {Outcome::kAnswer, {"b"}, {}, false, 86400};
  dns_.txt_answers["c.test"] = {Outcome::kAnswer, {"c"}, {}, false, 86400};
  TtlCache cache(dns_, {.max_ttl = 60s, .max_entries = 2}, clock_);
  cache.txt("a.test");
  cache.txt("b.test");
  cache.txt("c.test");  // full of live answers: not kept
  EXPECT_EQ(cache.size(), 2u);
  cache.txt("c.test");
  EXPECT_EQ(dns_.asked, 4);
  now_ += 60s;  // past the cap: both expired, and make room
  cache.txt("c.test");
  EXPECT_EQ(cache.size(), 1u);
  cache.txt("c.test");
  EXPECT_EQ(dns_.asked, 5);
}

}  // namespace
}  // namespace appliance::dns
