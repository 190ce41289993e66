// NAME
//   store_totals_test.cpp - counters of logins and mail out made from the
//   store's windows: from 0 at the first reading, only what is new added,
//   never down when the windows forget nor twice for
//   readings that raced, a gap in the login log counted.
#include <gtest/gtest.h>

#include "webd/store_totals.h"

namespace appliance::webd {
namespace {

store::LoginRecord login(store::Id id, const std::string& protocol, const std::string& result) {
  store::LoginRecord r;
  r.id = id;
  r.protocol = protocol;
  r.result = result;
  return r;
}

TEST(StoreTotals, StartAtZeroAndAddWhatIsNew) {
  StoreTotals totals;
  auto t = totals.add({login(7, "imap", "ok"), login(6, "smtp", "ok")}, {{100, 3, 5}, {101, 1, 1}});
  EXPECT_TRUE(t.logins.empty());
  EXPECT_EQ(t.messages_out, 0u);

  // Newest first: two new logins, hour 101 grew by 2 messages and 3 recipients, 102 began.
  t = totals.add({login(9, "imap", "failed"), login(8, "imap", "ok"), login(7, "imap", "ok")},
                 {{100, 3, 5}, {101, 3, 4}, {102, 1, 1}});
  EXPECT_EQ((t.logins[{"imap", "ok"}]), 1u);
  EXPECT_EQ((t.logins[{"imap", "failed"}]), 1u);
  EXPECT_EQ(t.messages_out, 3u);
  EXPECT_EQ(t.recipients_out, 4u);

  // Nothing new: nothing added. The window moved on and an hour shrank: never down.
  t = totals.add({login(9, "imap", "failed")}, {{101, 1, 1}, {102, 1, 1}, {103, 0, 0}});
  EXPECT_EQ((t.logins[{"imap", "ok"}]), 1u);
  EXPECT_EQ(t.messages_out, 3u);
  EXPECT_EQ(t.recipients_out, 4u);
  t = totals.add({}, {{101, 3, 4}, {102, 1, 1}, {103, 0, 0}});
  EXPECT_EQ(t.messages_out, 3u);  // hour 101 counts again past the most read of it
  t = totals.add({}, {{101, 4, 6}, {102, 1, 1}, {103, 0, 0}});
  EXPECT_EQ(t.messages_out, 4u);
  EXPECT_EQ(t.recipients_out, 6u);
  // A reading made before the last one (two scrapes at once) adds nothing twice.
  t = totals.add({}, {{101, 3, 4}, {102, 1, 1}, {103, 0, 0}});
  t = totals.add({}, {{101, 4, 6}, {102, 1, 1}, {103, 0, 0}});
  EXPECT_EQ(t.messages_out, 4u);
  // Across an hour's start: the older reading lacks hour 104, which counts once.
  t = totals.add({}, {{102, 1, 1}, {103, 0, 0}, {104, 2, 2}});
  t = totals.add({}, {{101, 4, 6}, {102, 1, 1}, {103, 0, 0}});
  t = totals.add({}, {{102, 1, 1}, {103, 0, 0}, {104, 2, 2}});
  EXPECT_EQ(t.messages_out, 6u);
}

TEST(StoreTotals, EntriesBeyondOneReadingAreCountedAsUnknown) {
  StoreTotals totals;
  totals.add({login(10, "pop3", "ok")}, {});
  // Every entry read is new, and 11 to 14 were not in hand: four of unknown kind.
  auto t = totals.add({login(16, "pop3", "ok"), login(15, "pop3", "ok")}, {});
  EXPECT_EQ((t.logins[{"pop3", "ok"}]), 2u);
  EXPECT_EQ((t.logins[{"unknown", "unknown"}]), 4u);
  t = totals.add({login(17, "web", "ok"), login(16, "pop3", "ok")}, {});
  EXPECT_EQ((t.logins[{"unknown", "unknown"}]), 4u);
  EXPECT_EQ((t.logins[{"web", "ok"}]), 1u);
}

TEST(StoreTotals, AnEmptyLogAtTheStartCountsFromTheFirstEntry) {
  StoreTotals totals;
  totals.add({}, {});
  auto t = totals.add({login(3, "imap", "ok"), login(2, "imap", "ok")}, {});
  EXPECT_EQ((t.logins[{"imap", "ok"}]), 2u);
  EXPECT_EQ((t.logins[{"unknown", "unknown"}]), 1u);  // entry 1
}

}  // namespace
}  // namespace appliance::webd
