// NAME
//   mail_time_test.cpp - RFC 5322 date-times.
#include "common/mail_time.h"

#include <gtest/gtest.h>

namespace appliance {
namespace {

TEST(MailTime, Rfc5322) {
  EXPECT_EQ(rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(rfc5322_date(1700000000), "Tue, 14 Nov 2023 22:13:20 +0000");
}

}  // namespace
}  // namespace appliance
