// NAME
//   queue_test - the outbound queue on SQLite and on PostgreSQL: entries with
//   their sealed blob and recipients, attempts, hold, retry, delay notices,
//   removal, and what garbage collection and shredding do with queued blobs.
#include <fmt/format.h>

#include "store/store_suite.h"

namespace appliance::store {
namespace {

class QueueSuite : public testing::StoreSuite {
 protected:
  Result<QueueEntry> enqueue(TenantStore& t, const Account& a, std::string_view body,
                             std::vector<std::string> to, std::int64_t created = 1000) {
    auto blob = t.new_blob(a.id);
    if (!blob) return blob.error();
    if (auto w = (*blob)->write(body); !w) return w.error();
    return t.queue().enqueue(std::move(*blob),
                             NewQueueEntry{a.id, a.address, std::move(to), created});
  }
  std::string body(TenantStore& t, const QueueEntry& e) {
    std::string out;
    auto r = t.queue().read(e, [&](std::string_view p) -> Result<void> {
      out.append(p);
      return {};
    });
    EXPECT_TRUE(r.ok()) << r.message();
    return out;
  }
};

INSTANTIATE_TEST_SUITE_P(Backends, QueueSuite, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

TEST_P(QueueSuite, EnqueueKeepsBodyEnvelopeAndRecipients) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto e = enqueue(*t, a, "Subject: out\r\n\r\nhello\r\n", {"bob@other.test", "carol@else.test"});
  ASSERT_TRUE(e.ok()) << e.message();
  EXPECT_EQ(e->sender, "alice@example.test");
  EXPECT_EQ(e->created, 1000);
  EXPECT_EQ(e->next_attempt, 1000);
  EXPECT_EQ(e->attempts, 0u);
  EXPECT_FALSE(e->held);
  ASSERT_EQ(e->recipients.size(), 2u);
  EXPECT_EQ(e->recipients[1].address, "carol@else.test");
  EXPECT_EQ(e->recipients[1].state, RecipientState::pending);
  EXPECT_TRUE(e->pending());
  EXPECT_EQ(body(*t, *e), "Subject: out\r\n\r\nhello\r\n");
  reopen();
  auto again = store_->tenant(t->id());
  ASSERT_TRUE(again.ok());
  auto all = (*again)->queue().entries();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(body(**again, all->front()), "Subject: out\r\n\r\nhello\r\n");
}

TEST_P(QueueSuite, KeepsTheDsnOptionsOfTheSubmission) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto blob = t->new_blob(a.id);
  ASSERT_TRUE(blob.ok() && (*blob)->write("Subject: dsn\r\n\r\nx\r\n").ok());
  NewQueueEntry n{a.id, a.address, {"bob@other.test", "carol@else.test"}, 1000};
  n.ret = "HDRS";
  n.envid = "QQ314159";
  n.dsn = {{"SUCCESS,DELAY", "rfc822;bob@old.test"}, {}};
  auto e = t->queue().enqueue(std::move(*blob), n);
  ASSERT_TRUE(e.ok()) << e.message();
  reopen();
  auto again = (*store_->tenant(t->id()))->queue().entry(e->id);
  ASSERT_TRUE(again.ok() && *again);
  EXPECT_EQ((*again)->ret, "HDRS");
  EXPECT_EQ((*again)->envid, "QQ314159");
  EXPECT_EQ((*again)->recipients[0].dsn.notify, "SUCCESS,DELAY");
  EXPECT_EQ((*again)->recipients[0].dsn.orcpt, "rfc822;bob@old.test");
  EXPECT_EQ((*again)->recipients[1].dsn.notify, "");
  auto t2 = store_->tenant(t->id());
  auto blob2 = (*t2)->new_blob(a.id);
  ASSERT_TRUE(blob2.ok() && (*blob2)->write("x\r\n").ok());
  n.dsn.pop_back();
  EXPECT_EQ((*t2)->queue().enqueue(std::move(*blob2), n).message(),
            "a queue entry's DSN options must be one per recipient");
}

TEST_P(QueueSuite, DueAttemptsHoldAndRetry) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto e1 = enqueue(*t, a, "one", {"bob@other.test"}, 1000);
  auto e2 = enqueue(*t, a, "two", {"bob@other.test", "dan@other.test"}, 1001);
  ASSERT_TRUE(e1.ok() && e2.ok());
  EXPECT_EQ(t->queue().due(999, 10)->size(), 0u);
  EXPECT_EQ(t->queue().due(1001, 10)->size(), 2u);
  EXPECT_EQ(t->queue().due(1001, 1)->size(), 1u);

  QueuedRecipient done{"bob@other.test", RecipientState::delivered,
                       "250 2.0.0 Ok",   "mx.other.test [127.0.0.1]",
                       "opportunistic",  "TLSv1.3"};
  QueuedRecipient later{"dan@other.test",  RecipientState::pending,
                        "451 4.3.0 later", "mx.other.test [127.0.0.1]",
                        "opportunistic",   "TLSv1.3"};
  ASSERT_TRUE(t->queue().record_attempt(e2->id, {done, later}, 1002, 1300).ok());
  auto after = t->queue().entry(e2->id);
  ASSERT_TRUE(after.ok() && after->has_value());
  const QueueEntry& x = **after;
  EXPECT_EQ(x.attempts, 1u);
  EXPECT_EQ(x.last_attempt, 1002);
  EXPECT_EQ(x.next_attempt, 1300);
  EXPECT_EQ(x.recipients[0].state, RecipientState::delivered);
  EXPECT_EQ(x.recipients[0].tls_version, "TLSv1.3");
  EXPECT_EQ(x.recipients[0].updated, 1002);
  EXPECT_EQ(x.recipients[1].reply, "451 4.3.0 later");
  EXPECT_TRUE(x.pending());
  EXPECT_FALSE(t->queue().record_attempt(999, {}, 1, 1).ok());

  EXPECT_TRUE(*t->queue().set_held(e1->id, true));
  EXPECT_FALSE(*t->queue().set_held(999, true));
  EXPECT_EQ(t->queue().due(2000, 10)->size(), 1u);  // e1 is held
  EXPECT_EQ(*t->queue().reschedule_all(5000), 1u);  // held entries stay
  EXPECT_EQ(t->queue().due(2000, 10)->size(), 0u);
  EXPECT_TRUE(*t->queue().reschedule(e2->id, 10));
  EXPECT_EQ(t->queue().due(2000, 10)->size(), 1u);
  EXPECT_TRUE(*t->queue().set_held(e1->id, false));
  EXPECT_EQ(t->queue().due(6000, 10)->size(), 2u);
  EXPECT_TRUE(*t->queue().remove(e1->id));
  EXPECT_FALSE(*t->queue().remove(e1->id));
  EXPECT_EQ(t->queue().entries()->size(), 1u);
}

TEST_P(QueueSuite, ADelayNoticeIsNotedOnceAndKept) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto e = enqueue(*t, a, "one", {"bob@other.test"});
  ASSERT_TRUE(e.ok()) << e.message();
  EXPECT_FALSE(e->delay_notified);
  EXPECT_TRUE(*t->queue().note_delay_notice(e->id));
  EXPECT_FALSE(*t->queue().note_delay_notice(999));
  reopen();
  auto again = store_->tenant(t->id());
  ASSERT_TRUE(again.ok());
  auto x = (*again)->queue().entry(e->id);
  ASSERT_TRUE(x.ok() && x->has_value());
  EXPECT_TRUE((*x)->delay_notified);
  EXPECT_TRUE((*again)->queue().due(2000, 10)->front().delay_notified);
}

TEST_P(QueueSuite, SendingIsCountedPerHourAndHeldEntriesWait) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto [b, b_inbox] = account(*t, "bob@example.test");
  ASSERT_TRUE(enqueue(*t, a, "one", {"x@other.test", "y@other.test"}, 7200).ok());
  ASSERT_TRUE(enqueue(*t, a, "two", {"z@other.test"}, 7300).ok());
  ASSERT_TRUE(enqueue(*t, a, "three", {"x@other.test"}, 10800).ok());
  ASSERT_TRUE(enqueue(*t, b, "other", {"x@other.test"}, 7200).ok());
  auto hours = t->queue().sending(a.id, 0);
  ASSERT_TRUE(hours.ok()) << hours.message();
  ASSERT_EQ(hours->size(), 2u);
  EXPECT_EQ((*hours)[0].hour, 2);
  EXPECT_EQ((*hours)[0].messages, 2u);
  EXPECT_EQ((*hours)[0].recipients, 3u);
  EXPECT_EQ((*hours)[1].hour, 3);
  EXPECT_EQ((*hours)[1].messages, 1u);
  EXPECT_EQ(t->queue().sending(a.id, 3)->size(), 1u);
  // Past eight days the old hours are forgotten at the next submission.
  ASSERT_TRUE(enqueue(*t, a, "late", {"x@other.test"}, 10800 + 8 * 86400 + 3600).ok());
  EXPECT_EQ(t->queue().sending(a.id, 0)->size(), 1u);

  auto blob = t->new_blob(a.id);
  ASSERT_TRUE(blob.ok() && (*blob)->write("held").ok());
  NewQueueEntry held{a.id, a.address, {"x@other.test"}, 20000};
  held.held = true;
  auto e = t->queue().enqueue(std::move(*blob), held);
  ASSERT_TRUE(e.ok()) << e.message();
  EXPECT_TRUE(e->held);
  auto due = t->queue().due(20000, 10);
  EXPECT_EQ(due->size(), 4u);
  for (const auto& d : *due) EXPECT_NE(d.id, e->id) << "held: not due";
}

TEST_P(QueueSuite, QueuedBlobsAreNotGarbageUntilRemoved) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto e = enqueue(*t, a, "queued body", {"bob@other.test"});
  ASSERT_TRUE(e.ok()) << e.message();
  auto report = t->check(true);
  ASSERT_TRUE(report->ok()) << report->errors.front();
  EXPECT_EQ(report->orphaned_blobs, 0u);
  EXPECT_EQ(*t->collect_garbage(std::chrono::seconds(0)), 0u);
  EXPECT_EQ(body(*t, *e), "queued body");
  ASSERT_TRUE(*t->queue().remove(e->id));
  EXPECT_EQ(*t->collect_garbage(std::chrono::seconds(0)), 1u);
}

TEST_P(QueueSuite, DestroyingTheSenderTakesItsQueue) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  ASSERT_TRUE(enqueue(*t, a, "secret plans", {"bob@other.test"}).ok());
  ASSERT_TRUE(t->destroy_account(a.id).ok());
  EXPECT_EQ(t->queue().entries()->size(), 0u);
}

TEST_P(QueueSuite, RefusesABlobOfAnotherAccount) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto [b, binbox] = account(*t, "bob@example.test");
  auto blob = t->new_blob(b.id);
  ASSERT_TRUE(blob.ok());
  auto e =
      t->queue().enqueue(std::move(*blob), NewQueueEntry{a.id, a.address, {"x@other.test"}, 1});
  EXPECT_EQ(e.message(), "the blob was written for another account");
}

}  // namespace
}  // namespace appliance::store
