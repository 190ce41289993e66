// NAME
//   sending_test.cpp - the sending limits and the burst hold from hour counts.
#include "smtpd/sending.h"

#include <gtest/gtest.h>

namespace appliance::smtpd {
namespace {

constexpr std::int64_t kNow = 1000 * 3600 + 1800;  // half past hour 1000

TEST(Sending, StateCountsThisHourTheDayAndTheUsualWeek) {
  std::vector<store::SendingHour> hours = {
      {1000 - 200, 99, 99},  // older than the week: ignored
      {1000 - 168, 84, 90},  // the week's first hour
      {1000 - 30, 42, 50},   // in the week, not in the day
      {1000 - 23, 5, 6},     // in the day
      {1000, 7, 9},          // this hour
  };
  auto s = sending_state(hours, kNow);
  EXPECT_EQ(s.hour_messages, 7u);
  EXPECT_EQ(s.hour_recipients, 9u);
  EXPECT_EQ(s.day_recipients, 15u);
  EXPECT_DOUBLE_EQ(s.usual_messages, (84.0 + 42 + 5) / 168);
  EXPECT_EQ(sending_since(kNow), 1000 - 168);
}

TEST(Sending, LimitsRefuseTheRecipientBeyondThemWithA451) {
  SendingLimits limits{.per_hour = 10, .per_day = 30};
  SendingState s{.hour_messages = 3, .hour_recipients = 8, .day_recipients = 20};
  EXPECT_FALSE(over_limit(limits, s, 0));
  EXPECT_FALSE(over_limit(limits, s, 1));
  auto hour = over_limit(limits, s, 2);
  ASSERT_TRUE(hour);
  EXPECT_EQ(hour->code, 451);
  EXPECT_EQ(hour->summary(), "451 4.7.1 Sending limit of 10 recipients an hour reached, try later");
  s.hour_recipients = 0, s.day_recipients = 30;
  auto day = over_limit(limits, s, 0);
  ASSERT_TRUE(day);
  EXPECT_NE(day->summary().find("30 recipients a day"), std::string::npos);
  EXPECT_FALSE(over_limit({.per_hour = 0, .per_day = 0}, s, 1000)) << "0: no limit";
}

TEST(Sending, ABurstFarAboveTheUsualIsHeldAndReportedOnce) {
  SendingLimits limits{.burst_factor = 10, .burst_floor = 20};
  SendingState quiet{.usual_messages = 0.5};  // 84 messages a week
  EXPECT_EQ(burst_threshold(limits, quiet), 20u) << "the floor";
  quiet.hour_messages = 19;
  EXPECT_FALSE(holds(limits, quiet));  // the 20th message goes
  quiet.hour_messages = 20;
  EXPECT_TRUE(holds(limits, quiet));
  EXPECT_TRUE(first_held(limits, quiet));
  quiet.hour_messages = 21;
  EXPECT_TRUE(holds(limits, quiet));
  EXPECT_FALSE(first_held(limits, quiet));

  SendingState busy{.hour_messages = 100, .usual_messages = 12.3};  // a list server
  EXPECT_EQ(burst_threshold(limits, busy), 123u);
  EXPECT_FALSE(holds(limits, busy));
  EXPECT_FALSE(holds({.burst_factor = 0}, {.hour_messages = 100000}));
}

}  // namespace
}  // namespace appliance::smtpd
