// NAME
//   store_sync_test - what CONDSTORE, QRESYNC and QUOTA need of the store,
//   on SQLite and on PostgreSQL (the StoreSuite of store_suite_test.cpp).
//
// DESCRIPTION
//   update_flags: flags and keywords in one change, a new modseq only where
//   something changed, UNCHANGEDSINCE leaving newer messages alone.
//   vanished: every way a message leaves a mailbox is recorded with the
//   modseq it left at, and survives reopening the store. usage: the bytes
//   and messages of an account, copies counted, kept through every removal,
//   with the account's quota. append_all: all or none. The quota checked in
//   the transaction of append_all and copy_messages, also against a second
//   writer.
#include <fmt/format.h>

#include <thread>

#include "store/store_suite.h"

namespace appliance::store {
namespace {

using testing::StoreSuite;

TEST_P(StoreSuite, UpdateFlagsChangesOnlyWhatChangesUnderOneModseq) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  EXPECT_EQ(t->mailboxes(a.id)->front().modseq, 1u);  // positive from the start
  for (int i = 1; i <= 4; ++i) ASSERT_TRUE(put(*t, a, inbox, fmt::format("m{}", i), "").ok());
  ASSERT_TRUE(t->store_flags(a.id, inbox.id, {{1, 1}}, kSeen, 0).ok());
  auto before = t->messages(a.id, inbox.id).value();

  FlagUpdate u;
  u.add = kSeen;
  u.add_keywords = {"$Junk"};
  auto r = t->update_flags(a.id, inbox.id, {{1, 3}}, u);
  ASSERT_TRUE(r.ok()) << r.message();
  ASSERT_EQ(r->messages.size(), 3u);
  EXPECT_TRUE(r->modified.empty());
  std::uint64_t modseq = r->messages[1].modseq;
  EXPECT_GT(modseq, before[3].modseq);
  EXPECT_EQ(r->messages[2].modseq, modseq);
  EXPECT_EQ(r->messages[1].keywords, "$Junk");
  EXPECT_EQ(r->messages[1].flags, std::uint32_t{kSeen});
  EXPECT_EQ(t->mailboxes(a.id)->front().modseq, modseq);

  // Nothing changes: no new modseq anywhere.
  r = t->update_flags(a.id, inbox.id, {{1, 3}}, u);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->messages[0].modseq, modseq);
  EXPECT_EQ(t->mailboxes(a.id)->front().modseq, modseq);

  // UNCHANGEDSINCE: messages 1 to 3 changed after `before`, 4 did not.
  FlagUpdate c;
  c.add = kFlagged;
  c.unchangedsince = before[3].modseq;
  r = t->update_flags(a.id, inbox.id, {{1, 4}}, c);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->modified, (std::vector<std::uint32_t>{1, 2, 3}));
  EXPECT_EQ(r->messages[3].flags, std::uint32_t{kFlagged});
  EXPECT_EQ(r->messages[0].flags & kFlagged, 0u);

  FlagUpdate other;
  other.add = kSeen;
  EXPECT_TRUE(t->update_flags(a.id + 100, inbox.id, {{1, 4}}, other)->messages.empty());
}

TEST_P(StoreSuite, EveryRemovalLeavesAnExpungeRecord) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto [b, binbox] = account(*t, "bob@example.test");
  auto archive = t->create_mailbox(a.id, "Archive").value();
  for (int i = 1; i <= 6; ++i) ASSERT_TRUE(put(*t, a, inbox, fmt::format("m{}", i), "").ok());
  std::uint64_t start = t->mailboxes(a.id)->front().modseq;

  ASSERT_TRUE(t->store_flags(a.id, inbox.id, {{1, 2}}, kDeleted, 0).ok());
  ASSERT_TRUE(t->expunge_messages(a.id, inbox.id, {{1, 6}}).ok());
  std::uint64_t after_expunge = t->mailboxes(a.id)->front().modseq;
  ASSERT_TRUE(t->copy_messages(a.id, inbox.id, {{3, 3}}, archive.id, true).ok());
  ASSERT_TRUE(t->remove(a.id, inbox.id, {4}).ok());

  EXPECT_EQ(*t->vanished(a.id, inbox.id, start, {{1, 0xffffffff}}),
            (std::vector<std::uint32_t>{1, 2, 3, 4}));
  EXPECT_EQ(*t->vanished(a.id, inbox.id, after_expunge, {{1, 0xffffffff}}),
            (std::vector<std::uint32_t>{3, 4}));
  EXPECT_EQ(*t->vanished(a.id, inbox.id, start, {{2, 3}}), (std::vector<std::uint32_t>{2, 3}));
  EXPECT_TRUE(t->vanished(b.id, inbox.id, 0, {{1, 0xffffffff}})->empty());
  EXPECT_TRUE(t->vanished(a.id, archive.id, 0, {{1, 0xffffffff}})->empty());

  Id id = t->id();
  t.reset();
  reopen();
  t = store_->tenant(id).value();
  EXPECT_EQ(t->vanished(a.id, inbox.id, start, {{1, 0xffffffff}})->size(), 4u);
  ASSERT_TRUE(t->delete_mailbox(a.id, inbox.id).ok());
  EXPECT_TRUE(t->vanished(a.id, inbox.id, 0, {{1, 0xffffffff}})->empty());
}

TEST_P(StoreSuite, UsageCountsEveryCopy) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto [b, binbox] = account(*t, "bob@example.test");
  auto archive = t->create_mailbox(a.id, "Archive").value();
  EXPECT_EQ(t->usage(a.id)->bytes, 0u);
  ASSERT_TRUE(put(*t, a, inbox, "12345", "").ok());
  ASSERT_TRUE(put(*t, a, inbox, "123", "").ok());
  ASSERT_TRUE(put(*t, b, binbox, "1234567", "").ok());
  ASSERT_TRUE(t->copy_messages(a.id, inbox.id, {{1, 1}}, archive.id, false).ok());
  auto u = t->usage(a.id);
  ASSERT_TRUE(u.ok()) << u.message();
  EXPECT_EQ(u->messages, 3u);
  EXPECT_EQ(u->bytes, 13u);
  EXPECT_EQ(t->usage(b.id)->bytes, 7u);
}

// Usage is kept as messages come and go, not counted at each call: every way
// a message leaves takes its bytes along, and the quota comes with it.
TEST_P(StoreSuite, UsageFollowsEveryRemovalAndCarriesTheQuota) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto archive = t->create_mailbox(a.id, "Archive").value();
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(put(*t, a, inbox, std::string(i, 'x'), "").ok());
  EXPECT_EQ(t->usage(a.id)->bytes, 15u);
  ASSERT_TRUE(t->copy_messages(a.id, inbox.id, {{1, 2}}, archive.id, true).ok());  // 1 + 2
  EXPECT_EQ(t->usage(a.id)->bytes, 15u);
  ASSERT_TRUE(t->store_flags(a.id, inbox.id, {{3, 3}}, kDeleted, 0).ok());
  ASSERT_TRUE(t->expunge_messages(a.id, inbox.id, {{1, 5}}).ok());  // 3
  ASSERT_TRUE(t->remove(a.id, inbox.id, {4}).ok());                 // 4
  auto u = t->usage(a.id);
  ASSERT_TRUE(u.ok()) << u.message();
  EXPECT_EQ(u->messages, 3u);
  EXPECT_EQ(u->bytes, 8u);
  EXPECT_EQ(u->quota, 0u);
  EXPECT_TRUE(u->room_for(1u << 30));
  ASSERT_TRUE(t->delete_mailbox(a.id, archive.id).ok());
  ASSERT_TRUE(t->set_quota(a.id, 10).ok());
  u = t->usage(a.id);
  EXPECT_EQ(u->messages, 1u);
  EXPECT_EQ(u->bytes, 5u);
  EXPECT_EQ(u->quota, 10u);
  EXPECT_TRUE(u->room_for(5));
  EXPECT_FALSE(u->room_for(6));
  EXPECT_EQ(t->usage(a.id + 100)->quota, 0u);  // no such account: nothing used, no limit
}

// Messages for append_all: one blob each, written for `account`.
struct Batch {
  std::vector<std::unique_ptr<BlobWriter>> blobs;
  std::vector<NewMessage> messages;
};
Batch batch(TenantStore& t, Id account, const std::vector<std::pair<Id, std::string>>& bodies) {
  Batch out;
  for (const auto& [mailbox, body] : bodies) {
    auto w = t.new_blob(account);
    EXPECT_TRUE(w.ok()) << w.message();
    EXPECT_TRUE((*w)->write(body).ok());
    out.blobs.push_back(std::move(*w));
    out.messages.push_back({account, mailbox, 1700000000, kSeen, "sum " + body, {"Work", "$Junk"}});
  }
  return out;
}
Result<Appended> append_all(TenantStore& t, Batch b) {
  return t.append_all(std::move(b.blobs), b.messages);
}
std::uint32_t uidnext(TenantStore& t, Id account, Id mailbox) {
  auto boxes = t.mailboxes(account);
  for (const auto& m : *boxes)
    if (m.id == mailbox) return m.uidnext;
  return 0;
}

TEST_P(StoreSuite, AppendAllStoresEveryMessageOrNone) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto [b, binbox] = account(*t, "bob@example.test");
  // Bob's INBOX is not Alice's; one APPEND names one mailbox.
  EXPECT_FALSE(append_all(*t, batch(*t, a.id, {{binbox.id, "one"}, {binbox.id, "two"}})).ok());
  EXPECT_FALSE(append_all(*t, batch(*t, a.id, {{inbox.id, "one"}, {binbox.id, "two"}})).ok());
  EXPECT_TRUE(t->messages(a.id, inbox.id)->empty());
  EXPECT_TRUE(t->messages(b.id, binbox.id)->empty());
  EXPECT_EQ(uidnext(*t, a.id, inbox.id), 1u);
  EXPECT_EQ(t->usage(a.id)->bytes, 0u);

  auto both = append_all(*t, batch(*t, a.id, {{inbox.id, "one"}, {inbox.id, "two!"}}));
  ASSERT_TRUE(both.ok()) << both.message();
  EXPECT_FALSE(both->over_quota);
  ASSERT_EQ(both->messages.size(), 2u);
  EXPECT_EQ(both->messages[0].uid, 1u);
  EXPECT_EQ(both->messages[1].uid, 2u);
  EXPECT_EQ(both->messages[0].modseq, both->messages[1].modseq);  // one change of the mailbox
  EXPECT_EQ(both->messages[1].keywords, "$Junk Work");
  EXPECT_EQ(both->messages[1].flags, std::uint32_t{kSeen});
  auto stored = t->messages(a.id, inbox.id).value();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(*get(*t, a, stored[1].id), "two!");
  EXPECT_EQ(*t->summary(a.id, stored[1].id), "sum two!");
  EXPECT_EQ(t->usage(a.id)->bytes, 7u);
}

// The quota is checked in the transaction that stores: what would pass it
// is refused whole; a move takes no room; delivery (append) is not checked.
TEST_P(StoreSuite, AppendAllAndCopyRefuseWhatWouldPassTheQuota) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto archive = t->create_mailbox(a.id, "Archive").value();
  ASSERT_TRUE(t->set_quota(a.id, 10).ok());
  auto refused = append_all(*t, batch(*t, a.id, {{inbox.id, "12345"}, {inbox.id, "123456"}}));
  ASSERT_TRUE(refused.ok()) << refused.message();
  EXPECT_TRUE(refused->over_quota);
  EXPECT_TRUE(refused->messages.empty());
  EXPECT_TRUE(t->messages(a.id, inbox.id)->empty());
  EXPECT_EQ(uidnext(*t, a.id, inbox.id), 1u);  // rolled back after its rows went in
  EXPECT_EQ(t->usage(a.id)->bytes, 0u);

  auto fits = append_all(*t, batch(*t, a.id, {{inbox.id, "12345"}, {inbox.id, "123"}}));
  ASSERT_TRUE(fits.ok()) << fits.message();
  EXPECT_FALSE(fits->over_quota);
  EXPECT_EQ(fits->messages.size(), 2u);
  auto copy = t->copy_messages(a.id, inbox.id, {{1, 1}}, archive.id, false);  // 8 + 5
  ASSERT_TRUE(copy.ok()) << copy.message();
  EXPECT_TRUE(copy->over_quota);
  EXPECT_TRUE(copy->messages.empty());
  EXPECT_TRUE(t->messages(a.id, archive.id)->empty());
  copy = t->copy_messages(a.id, inbox.id, {{2, 2}}, archive.id, false);  // 8 + 3
  EXPECT_TRUE(copy->over_quota);
  auto move = t->copy_messages(a.id, inbox.id, {{1, 2}}, archive.id, true);
  ASSERT_TRUE(move.ok()) << move.message();
  EXPECT_FALSE(move->over_quota);
  EXPECT_EQ(move->messages.size(), 2u);
  ASSERT_TRUE(put(*t, a, inbox, "delivered").ok());  // 17: smtpd checked at RCPT
  EXPECT_EQ(t->usage(a.id)->bytes, 17u);
  EXPECT_TRUE(append_all(*t, batch(*t, a.id, {{inbox.id, "x"}}))->over_quota);
  ASSERT_TRUE(t->set_quota(a.id, 0).ok());
  EXPECT_FALSE(append_all(*t, batch(*t, a.id, {{inbox.id, "x"}}))->over_quota);
}

// Two writers (two stores on the same data, as two processes) append at
// once, each within the quota alone and over it together: whichever order
// their transactions run in, exactly one is stored.
TEST_P(StoreSuite, TwoWritersCannotBothPassTheQuota) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  ASSERT_TRUE(t->set_quota(a.id, 100).ok());
  auto other_store = backend_->open(keys_);
  ASSERT_TRUE(other_store.ok()) << other_store.message();
  auto other = (*other_store)->tenant(t->id());
  ASSERT_TRUE(other.ok()) << other.message();
  for (int round = 0; round < 4; ++round) {
    std::string body(60, static_cast<char>('a' + round));
    Batch mine = batch(*t, a.id, {{inbox.id, body}}),
          theirs = batch(**other, a.id, {{inbox.id, body + "!"}});
    Result<Appended> first = Error{}, second = Error{};
    std::thread racer([&] { second = append_all(**other, std::move(theirs)); });
    first = append_all(*t, std::move(mine));
    racer.join();
    ASSERT_TRUE(first.ok()) << first.message();
    ASSERT_TRUE(second.ok()) << second.message();
    EXPECT_NE(first->over_quota, second->over_quota) << "round " << round;
    EXPECT_EQ(t->messages(a.id, inbox.id)->size(), 1u);
    EXPECT_LE(t->usage(a.id)->bytes, 100u);
    ASSERT_TRUE(t->remove(a.id, inbox.id, {t->messages(a.id, inbox.id)->front().uid}).ok());
  }
}

}  // namespace
}  // namespace appliance::store
