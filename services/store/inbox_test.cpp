// NAME
//   inbox_test - a message the appliance writes itself, into an INBOX with its summary.
#include "store/inbox.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "store/testing/fixture.h"

namespace appliance::store {
namespace {

class Inbox : public testing::StoreTest {};

TEST_F(Inbox, AppendsWithTheSummaryIntoTheInboxOnly) {
  auto t = tenant("acme");
  auto [alice, inbox] = account(*t, "alice@a.test");
  ASSERT_TRUE(t->create_mailbox(alice.id, "Archive").ok());
  const std::string text = "Subject: hello\r\nFrom: <x@a.test>\r\n\r\nbody\r\n";
  auto m = append_to_inbox(*t, alice.id, text, 1700000123);
  ASSERT_TRUE(m.ok()) << m.message();
  EXPECT_EQ(m->mailbox, inbox.id);
  EXPECT_EQ(m->internal_date, 1700000123);
  EXPECT_EQ(get(*t, alice, m->id).value(), text);
  auto summary = t->summary(alice.id, m->id);
  ASSERT_TRUE(summary.ok()) << summary.message();
  EXPECT_FALSE(summary->empty());
  EXPECT_EQ(find_inbox(*t, alice.id)->id, inbox.id);
}

TEST_F(Inbox, AnAccountWithoutInboxIsAnError) {
  auto t = tenant("acme");
  auto bob = t->create_account("bob@a.test");
  ASSERT_TRUE(bob.ok());
  EXPECT_EQ(find_inbox(*t, bob->id).message(), fmt::format("account {} has no INBOX", bob->id));
  EXPECT_FALSE(append_to_inbox(*t, bob->id, "Subject: x\r\n\r\n", 1).ok());
}

}  // namespace
}  // namespace appliance::store
