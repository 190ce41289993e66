// NAME
//   async_lane_test.cpp - requests nobody waits for: each completion gets its
//   own reply, completions may ask again, a broken connection sends the
//   unanswered requests again, and every request completes exactly once.
#include "keyd/async_lane.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "keyd/testing/fake_keyd.h"

namespace appliance::keyd {
namespace {

using namespace std::chrono_literals;
using testing::echoed;
using testing::FakeKeyd;
using testing::request;

// Counts completions; wait() returns once `expected` have come.
class Countdown {
 public:
  explicit Countdown(int expected) : left_(expected) {}
  void done() {
    std::lock_guard lock(mutex_);
    if (--left_ == 0) zero_.notify_all();
  }
  void wait() {
    std::unique_lock lock(mutex_);
    zero_.wait(lock, [this] { return left_ <= 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable zero_;
  int left_;
};

TEST(AsyncLane, ManyThreadsEachCompletionGetsItsOwnReply) {
  FakeKeyd server;
  // A machine busy with other work may leave the fake server silent for
  // seconds: the lane would then count the connection as broken and connect
  // again, rightly, and the count below would not be about the threads.
  AsyncLane lane(server.path(), 120s, 120s);
  std::atomic<int> wrong{0}, failed{0};
  Countdown all(8 * 2000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string text = std::to_string(t) + ":" + std::to_string(i);
        lane.call(request(text), [&, text](Result<ipc::Message> reply) {
          if (!reply)
            ++failed;
          else if (echoed(*reply) != text)
            ++wrong;
          all.done();
        });
      }
    });
  for (auto& t : threads) t.join();
  all.wait();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(server.accepted(), 1);
}

// A caller that keeps requests in flight asks again from each completion,
// as webd's handlers would; replies come in the order asked.
TEST(AsyncLane, CompletionsMayAskAgain) {
  FakeKeyd server;
  AsyncLane lane(server.path(), 5s, 5s);
  constexpr int kChains = 32, kLength = 300;
  std::atomic<int> out_of_order{0}, failed{0};
  Countdown all(kChains);
  std::function<void(int, int)> ask = [&](int chain, int step) {
    std::string text = std::to_string(chain) + ":" + std::to_string(step);
    lane.call(request(text), [&, chain, step, text](Result<ipc::Message> reply) {
      if (!reply)
        ++failed;
      else if (echoed(*reply) != text)
        ++out_of_order;
      if (step + 1 < kLength)
        ask(chain, step + 1);
      else
        all.done();
    });
  };
  for (int c = 0; c < kChains; ++c) ask(c, 0);
  all.wait();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(out_of_order, 0);
}

TEST(AsyncLane, BrokenConnectionSendsTheUnansweredAgain) {
  FakeKeyd server(/*close_after=*/100);
  AsyncLane lane(server.path(), 5s, 30s);
  std::atomic<int> ok{0}, failed{0}, wrong{0};
  Countdown all(400);
  for (int i = 0; i < 400; ++i) {
    std::string text = std::to_string(i);
    lane.call(request(text), [&, text](Result<ipc::Message> reply) {
      if (!reply)
        ++failed;
      else if (echoed(*reply) != text)
        ++wrong;
      else
        ++ok;
      all.done();
    });
  }
  all.wait();
  EXPECT_EQ(ok, 400);  // each connection answers 100, then hangs up: all went again
  EXPECT_EQ(wrong, 0);
  EXPECT_GE(server.accepted(), 4);
}

TEST(AsyncLane, NoServerCompletesWithTheReason) {
  AsyncLane lane("/nonexistent/keyd.sock", 1s, 100ms);
  std::optional<Result<ipc::Message>> got;
  Countdown one(1);
  lane.call(request("x"), [&](Result<ipc::Message> reply) {
    got = std::move(reply);
    one.done();
  });
  one.wait();
  ASSERT_TRUE(got);
  ASSERT_FALSE(*got);
  EXPECT_NE(got->message().find("/nonexistent/keyd.sock"), std::string::npos);
}

// A keyd that never answers: destroying the lane completes what is pending.
TEST(AsyncLane, ClosingCompletesEveryPendingRequestOnce) {
  FakeKeyd server(/*close_after=*/0);
  std::atomic<int> completions{0}, errors{0};
  {
    AsyncLane lane(server.path(), 5s, 60s);
    for (int i = 0; i < 10; ++i)
      lane.call(request("x"), [&](Result<ipc::Message> reply) {
        ++completions;
        if (!reply) ++errors;
      });
  }
  EXPECT_EQ(completions, 10);
  EXPECT_EQ(errors, 10);
}

}  // namespace
}  // namespace appliance::keyd
