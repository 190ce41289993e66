// NAME
//   lane_test.cpp - many threads on one connection get their own replies;
//   a broken connection fails what was in flight and the next call reconnects.
#include "keyd/lane.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "keyd/testing/fake_keyd.h"

namespace appliance::keyd {
namespace {

using namespace std::chrono_literals;

using testing::echoed;
using testing::request;
using EchoServer = testing::FakeKeyd;

TEST(Lane, ManyThreadsEachGetTheirOwnReplies) {
  EchoServer server;
  Lane lane(server.path(), 5s);
  std::atomic<int> wrong{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string text = std::to_string(t) + ":" + std::to_string(i);
        auto reply = lane.call(request(text));
        if (!reply)
          ++failed;
        else if (echoed(*reply) != text)
          ++wrong;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(server.accepted(), 1);  // one connection carried all 32,000
}

TEST(Lane, BrokenConnectionFailsWhatWasInFlightThenReconnects) {
  EchoServer server(/*close_after=*/100);
  Lane lane(server.path(), 5s);
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) lane.call(request("x")) ? ++ok : ++failed;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok + failed, 400);  // every call came back: none hung
  EXPECT_GT(failed, 0);
  EXPECT_GE(server.accepted(), 2);
  auto after = lane.call(request("again"));
  ASSERT_TRUE(after) << after.message();
  EXPECT_EQ(echoed(*after), "again");
}

TEST(Lane, NoServerIsAnErrorNotAHang) {
  Lane lane("/nonexistent/keyd.sock", 1s);
  auto reply = lane.call(request("x"));
  ASSERT_FALSE(reply);
  EXPECT_NE(reply.message().find("/nonexistent/keyd.sock"), std::string::npos);
}

}  // namespace
}  // namespace appliance::keyd
