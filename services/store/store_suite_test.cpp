// NAME
//   store_suite_test - every store operation, on SQLite and on PostgreSQL:
//   system data, messages, blobs, account and tenant isolation, large
//   streamed messages, concurrent writers, crypto-shredding, migrations.
//
// DESCRIPTION
//   One parameterised suite; the backend (store_suite.h) answers what only it
//   can. PostgreSQL runs on a throwaway server started by the test process.
//   Tests of SQLite's files themselves (damage_test, crash_test) stay apart.
#include <fmt/format.h>

#include <atomic>
#include <thread>

#include "store/domains.h"
#include "store/store_suite.h"

namespace appliance::store {
namespace {

using testing::StoreSuite;

INSTANTIATE_TEST_SUITE_P(Backends, StoreSuite, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

TEST_P(StoreSuite, SystemData) {
  auto t = store_->create_tenant("example");
  ASSERT_TRUE(t.ok()) << t.message();
  EXPECT_FALSE(store_->create_tenant("example").ok());
  auto d = store_->add_domain(t->id, "example.test");
  ASSERT_TRUE(d.ok()) << d.message();
  EXPECT_EQ(store_->find_domain("example.test")->tenant, t->id);
  EXPECT_FALSE(store_->find_domain("other.test").ok());
  EXPECT_EQ(store_->add_domain(999, "x.test").message(), "no tenant 999");
  ASSERT_TRUE(store_->set_setting("hostname", "a").ok());
  ASSERT_TRUE(store_->set_setting("hostname", "b").ok());
  EXPECT_EQ(**store_->setting("hostname"), "b");
  EXPECT_FALSE(store_->setting("none")->has_value());
  reopen();
  EXPECT_EQ(store_->tenants()->size(), 1u);
  EXPECT_EQ(**store_->setting("hostname"), "b");
}

TEST_P(StoreSuite, DomainsListedAndRemoved) {
  auto t = store_->create_tenant("example").value();
  ASSERT_TRUE(store_->add_domain(t.id, "b.test").ok());
  ASSERT_TRUE(store_->add_domain(t.id, "a.test").ok());
  DomainStore& domains = *domains_of(*store_).value();
  auto listed = domains.domains().value();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].name, "a.test");
  EXPECT_EQ(listed[1].tenant, t.id);
  EXPECT_TRUE(domains.remove_domain("a.test").value());
  EXPECT_FALSE(domains.remove_domain("a.test").value());
  EXPECT_FALSE(store_->find_domain("a.test").ok());
  EXPECT_EQ(domains.domains()->size(), 1u);

  EXPECT_FALSE(domains.remove_tenant(t.id).value());  // b.test is still its
  EXPECT_TRUE(domains.remove_domain("b.test").value());
  EXPECT_TRUE(domains.remove_tenant(t.id).value());
  EXPECT_FALSE(domains.remove_tenant(t.id).value());
  EXPECT_TRUE(store_->tenants()->empty());
  EXPECT_FALSE(store_->tenant(t.id).ok());
  auto again = store_->create_tenant("example");
  ASSERT_TRUE(again.ok()) << again.message();
  EXPECT_NE(again->id, t.id);
  EXPECT_TRUE(store_->tenant(again->id).ok());
}

TEST_P(StoreSuite, AppendReadFlagsExpunge) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto m1 = put(*t, a, inbox, "first", "Subject: one");
  auto m2 = put(*t, a, inbox, "second");
  ASSERT_TRUE(m1.ok()) << m1.message();
  ASSERT_TRUE(m2.ok()) << m2.message();
  EXPECT_EQ(m1->uid, 1u);
  EXPECT_EQ(m2->uid, 2u);
  EXPECT_GT(m2->modseq, m1->modseq);
  EXPECT_EQ(*get(*t, a, m1->id), "first");
  EXPECT_EQ(*t->summary(a.id, m1->id), "Subject: one");
  EXPECT_EQ(*t->summary(a.id, m2->id), "");
  EXPECT_EQ(*t->set_flags(a.id, m1->id, kSeen | kDeleted, 0), kSeen | kDeleted);
  EXPECT_EQ(*t->set_flags(a.id, m1->id, 0, kSeen), std::uint32_t{kDeleted});
  EXPECT_EQ(*t->expunge(a.id, inbox.id), 1u);
  auto left = t->messages(a.id, inbox.id);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->front().uid, 2u);
  auto report = t->check(true);
  ASSERT_TRUE(report->ok()) << report->errors.front();
  EXPECT_EQ(report->orphaned_blobs, 1u);
  EXPECT_EQ(*t->collect_garbage(TenantStore::kGarbageMinAge), 0u);  // too young
  EXPECT_EQ(*t->collect_garbage(std::chrono::seconds(0)), 1u);
  EXPECT_EQ(t->check(true)->orphaned_blobs, 0u);
  EXPECT_EQ(*get(*t, a, m2->id), "second");
}

TEST_P(StoreSuite, RemoveTakesTheseMessagesWhateverTheirFlags) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto [b, binbox] = account(*t, "bob@example.test");
  auto m1 = put(*t, a, inbox, "first");
  auto m2 = put(*t, a, inbox, "second");
  auto m3 = put(*t, a, inbox, "third");
  auto other = put(*t, b, binbox, "bob's");
  ASSERT_TRUE(m3.ok() && other.ok());
  ASSERT_TRUE(t->set_flags(a.id, m2->id, kDeleted, 0).ok());  // an IMAP client's, not ours
  EXPECT_EQ(*t->remove(b.id, inbox.id, {m1->uid}), 0u);       // alice's mailbox, not bob's
  EXPECT_EQ(*t->remove(a.id, inbox.id, {m1->uid, m3->uid, 99}), 2u);
  EXPECT_EQ(*t->remove(a.id, inbox.id, {m1->uid}), 0u);  // gone already
  auto left = t->messages(a.id, inbox.id);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->front().uid, m2->uid);
  EXPECT_EQ(t->messages(b.id, binbox.id)->size(), 1u);
}

TEST_P(StoreSuite, SameContentIsStoredOncePerAccount) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto [b, binbox] = account(*t, "bob@example.test");
  auto m1 = put(*t, a, inbox, "the same newsletter");
  auto m2 = put(*t, a, inbox, "the same newsletter");
  auto m3 = put(*t, b, binbox, "the same newsletter");
  EXPECT_EQ(m1->blob, m2->blob);
  EXPECT_NE(m1->blob, m3->blob);  // two accounts' copies are not linkable
  auto report = t->check(true);
  EXPECT_EQ(report->messages, 3u);
  EXPECT_EQ(report->blobs, 2u);
  EXPECT_EQ(*get(*t, b, m3->id), "the same newsletter");
}

TEST_P(StoreSuite, AnAccountReachesOnlyItsOwnMail) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto [b, binbox] = account(*t, "bob@example.test");
  auto m = put(*t, a, inbox, "alice's");
  EXPECT_FALSE(get(*t, b, m->id).ok());
  EXPECT_FALSE(t->summary(b.id, m->id).ok());
  EXPECT_FALSE(t->set_flags(b.id, m->id, kSeen, 0).ok());
  EXPECT_TRUE(t->messages(b.id, inbox.id)->empty());
  auto w = t->new_blob(b.id).value();
  ASSERT_TRUE(w->write("into alice's inbox").ok());
  EXPECT_EQ(t->append(std::move(w), {b.id, inbox.id, 0, 0, ""}).message(),
            fmt::format("account {} has no mailbox {}", b.id, inbox.id));
  auto w2 = t->new_blob(b.id).value();
  EXPECT_EQ(t->append(std::move(w2), {a.id, inbox.id, 0, 0, ""}).message(),
            "the blob was written for another account");
}

TEST_P(StoreSuite, ATenantReachesOnlyItsOwnFiles) {
  auto t1 = tenant("one");
  auto t2 = tenant("two");
  auto [a1, in1] = account(*t1, "alice@one.test");
  auto [a2, in2] = account(*t2, "alice@two.test");
  EXPECT_EQ(a1.id, a2.id);  // ids are per tenant...
  auto m = put(*t1, a1, in1, "tenant one's mail");
  EXPECT_FALSE(get(*t2, a2, m->id).ok());  // ...and name nothing in another tenant
  EXPECT_FALSE(t2->find_account("alice@one.test").ok());
  EXPECT_NE(backend_->where(t1->id()), backend_->where(t2->id()));
}

// An active tenant whose storage is gone is refused, never made again empty.
TEST_P(StoreSuite, ATenantWithoutItsStorageIsRefusedTheOthersWork) {
  auto t1 = tenant("one");
  auto t2 = tenant("two");
  auto [a2, in2] = account(*t2, "alice@two.test");
  auto m = put(*t2, a2, in2, "tenant two's mail");
  Id gone = t1->id(), kept = t2->id();
  t1.reset(), t2.reset();
  store_.reset();
  backend_->remove_storage(gone);
  reopen();
  auto refused = store_->tenant(gone);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find(fmt::format("tenant {} refused: ", gone)), std::string::npos);
  EXPECT_NE(refused.message().find(backend_->where(gone)), std::string::npos) << refused.message();
  auto other = store_->tenant(kept);
  ASSERT_TRUE(other.ok()) << other.message();
  EXPECT_EQ(*get(**other, a2, m->id), "tenant two's mail");
}

TEST_P(StoreSuite, LargeMessagesStreamThroughASpoolFile) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto w = t->new_blob(a.id).value();
  std::size_t size = testing::body_size("big", true) * 4;  // 6-12 MiB
  testing::generate("big", size, "", [&](std::string_view p) { ASSERT_TRUE(w->write(p).ok()); });
  ASSERT_TRUE(w->finish().ok());
  EXPECT_TRUE(w->spilled());
  EXPECT_GT(w->chunks(), 10u);
  auto m = t->append(std::move(w), {a.id, inbox.id, 0, 0, ""});
  ASSERT_TRUE(m.ok()) << m.message();
  EXPECT_EQ(m->size, size);
  testing::Digest d;
  ASSERT_TRUE(t->read(a.id, m->id, [&](std::string_view p) -> Result<void> {
                 d.update(p);
                 return {};
               }).ok());
  EXPECT_EQ(d.hex(), testing::digest("big", size, ""));
  EXPECT_TRUE(std::filesystem::is_empty(backend_->spool(t->id())));  // spool files have no name
}

TEST_P(StoreSuite, ConcurrentWritersAllDurableWithUniqueUids) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  constexpr int kThreads = 16, kEach = 20;
  std::vector<std::thread> pool;
  for (int i = 0; i < kThreads; ++i)
    pool.emplace_back([&, i] {
      for (int j = 0; j < kEach; ++j)
        EXPECT_TRUE(put(*t, a, inbox, fmt::format("message {} {}", i, j)).ok());
    });
  for (auto& th : pool) th.join();
  auto [batches, jobs] = backend_->commits(*t);
  EXPECT_LE(batches, jobs);
  reopen();
  auto again = store_->tenant(t->id()).value();
  auto all = again->messages(a.id, inbox.id).value();
  ASSERT_EQ(all.size(), std::size_t{kThreads * kEach});
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].uid, i + 1);
  EXPECT_TRUE(again->check(true)->ok());
}

// Writers that share batches: the one that names another account's mailbox
// fails, every other write of its batch holds.
TEST_P(StoreSuite, AFailingWriteFailsAlone) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto [b, binbox] = account(*t, "bob@example.test");
  constexpr int kThreads = 8, kEach = 10;
  std::atomic<int> refused{0};
  std::vector<std::thread> pool;
  for (int i = 0; i < kThreads; ++i)
    pool.emplace_back([&, i] {
      for (int j = 0; j < kEach; ++j) {
        bool bad = (i + j) % 4 == 0;
        auto m = put(*t, a, bad ? binbox : inbox, fmt::format("message {} {}", i, j));
        if (bad) {
          refused += !m.ok();
        } else {
          EXPECT_TRUE(m.ok()) << m.message();
        }
      }
    });
  for (auto& th : pool) th.join();
  EXPECT_EQ(refused.load(), kThreads * kEach / 4);
  auto all = t->messages(a.id, inbox.id).value();
  ASSERT_EQ(all.size(), std::size_t{kThreads * kEach * 3 / 4});
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].uid, i + 1);
  EXPECT_TRUE(t->messages(b.id, binbox.id)->empty());
  EXPECT_TRUE(t->check(true)->ok());
  ASSERT_TRUE(t->collect_garbage(std::chrono::seconds(0)).ok());  // SQLite keeps a refused write's blob until then
  EXPECT_EQ(t->check(true)->orphaned_blobs, 0u);
}

TEST_P(StoreSuite, DestroyingAnAccountShredsItsMail) {
  const std::string marker = "MARKER-c0ffee-5d1e";
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto [b, binbox] = account(*t, "bob@example.test");
  auto m = put(*t, a, inbox, "body " + marker + std::string(100000, 'q'), "Subject: " + marker);
  auto kept = put(*t, b, binbox, "bob keeps his mail");
  ASSERT_TRUE(m.ok() && kept.ok());
  std::string wrapped = backend_->wrapped_key(t->id(), a.id);
  ASSERT_FALSE(wrapped.empty());
  EXPECT_EQ(backend_->raw_files(true).find(marker), std::string::npos);  // sealed from the start
  EXPECT_NE(backend_->raw_files(true).find(wrapped), std::string::npos);
  ASSERT_TRUE(t->destroy_account(a.id).ok());
  EXPECT_FALSE(get(*t, a, m->id).ok());
  EXPECT_FALSE(t->new_blob(a.id).ok());
  EXPECT_EQ(backend_->raw_files(true).find(marker), std::string::npos);
  // No data page keeps the key. (PostgreSQL's WAL may, until it is recycled: docs/store.md.)
  EXPECT_EQ(backend_->raw_files(false).find(wrapped), std::string::npos);
  EXPECT_EQ(*get(*t, b, kept->id), "bob keeps his mail");
  auto report = t->check(true);
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->blobs, 1u);
}

TEST_P(StoreSuite, ANewerSchemaIsRefused) {
  auto t = tenant("example");
  Id id = t->id();
  t.reset();
  store_.reset();
  backend_->set_version(id, 1000);
  reopen();
  // Whatever this binary's own version is: tenant steps are added over time.
  EXPECT_TRUE(store_->tenant(id).message().starts_with(
      fmt::format("tenant {} refused: {}: schema version 1000 is newer than this binary's ", id,
                  backend_->where(id))));
  store_.reset();
  backend_->set_version(std::nullopt, 99);
  EXPECT_TRUE(backend_->open(keys_).message().starts_with(
      backend_->where(std::nullopt) + ": schema version 99 is newer than this binary's "));
}

TEST_P(StoreSuite, CheckReportsKeysThatNoLongerUnwrap) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  ASSERT_TRUE(put(*t, a, inbox, "x").ok());
  Id id = t->id();
  t.reset();
  store_.reset();
  LocalDataKeySource other(Secret(std::string(32, 'o')));
  auto s = backend_->open(other).value();
  auto report = s->tenant(id).value()->check(false).value();
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_NE(report.errors[0].find("account alice@example.test: account 1: data key: cannot unwrap"),
            std::string::npos)
      << report.errors[0];
}

// Mailbox access (imapd, pop3d) ----------------------------------------------

TEST_P(StoreSuite, MailboxesRenameDeleteSubscribe) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto [b, binbox] = account(*t, "bob@example.test");
  auto work = t->create_mailbox(a.id, "Work");
  ASSERT_TRUE(work.ok()) << work.message();
  EXPECT_FALSE(t->create_mailbox(a.id, "Work").ok());
  ASSERT_TRUE(put(*t, a, *work, "in work").ok());
  auto named = t->mailbox_named(a.id, "Work");
  ASSERT_TRUE(named.ok() && *named) << named.message();
  EXPECT_EQ((*named)->id, work->id);
  EXPECT_EQ((*named)->uidnext, 2u);
  EXPECT_FALSE(t->mailbox_named(b.id, "Work").value());  // alice's, not bob's
  EXPECT_FALSE(t->mailbox_named(a.id, "work").value());  // names are exact
  auto renamed = t->rename_mailbox(a.id, work->id, "Jobs");
  ASSERT_TRUE(renamed.ok()) << renamed.message();
  EXPECT_EQ(renamed->name, "Jobs");
  EXPECT_EQ(renamed->uidvalidity, work->uidvalidity);
  EXPECT_FALSE(t->mailbox_named(a.id, "Work").value());
  EXPECT_EQ(t->mailbox_named(a.id, "Jobs").value()->id, work->id);
  EXPECT_FALSE(t->rename_mailbox(a.id, work->id, inbox.name).ok());  // taken
  EXPECT_FALSE(t->rename_mailbox(b.id, work->id, "Bob's").ok());
  EXPECT_FALSE(t->delete_mailbox(b.id, work->id).ok());
  ASSERT_TRUE(t->delete_mailbox(a.id, work->id).ok());
  EXPECT_FALSE(t->delete_mailbox(a.id, work->id).ok());
  EXPECT_EQ(t->mailboxes(a.id)->size(), 1u);
  EXPECT_EQ(t->check(false)->messages, 0u);

  ASSERT_TRUE(t->subscribe(a.id, "Jobs", true).ok());
  ASSERT_TRUE(t->subscribe(a.id, "Jobs", true).ok());
  ASSERT_TRUE(t->subscribe(a.id, "Archive", true).ok());
  ASSERT_TRUE(t->subscribe(a.id, "Archive", false).ok());
  EXPECT_EQ(*t->subscriptions(a.id), std::vector<std::string>{"Jobs"});
  EXPECT_TRUE(t->subscriptions(b.id)->empty());
  ASSERT_TRUE(t->destroy_account(a.id).ok());
}

TEST_P(StoreSuite, FlagsCopyMoveExpungeByUidRange) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  auto [b, binbox] = account(*t, "bob@example.test");
  auto archive = t->create_mailbox(a.id, "Archive").value();
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(put(*t, a, inbox, fmt::format("m{}", i), "sum").ok());
  std::vector<UidRange> two_to_four{{2, 4}};
  EXPECT_EQ(t->messages(a.id, inbox.id, two_to_four)->size(), 3u);
  EXPECT_EQ(t->messages(a.id, inbox.id, {{1, 1}, {5, 9}})->back().uid, 5u);

  auto before = t->mailboxes(a.id)->front().modseq;
  auto flagged = t->store_flags(a.id, inbox.id, two_to_four, kSeen | kDeleted, 0);
  ASSERT_TRUE(flagged.ok()) << flagged.message();
  ASSERT_EQ(flagged->size(), 3u);
  EXPECT_EQ(flagged->front().uid, 2u);
  EXPECT_EQ(flagged->front().flags, std::uint32_t{kSeen | kDeleted});
  EXPECT_GT(flagged->front().modseq, before);
  EXPECT_EQ(t->mailboxes(a.id)->front().modseq, flagged->front().modseq);
  EXPECT_FALSE(t->store_flags(b.id, inbox.id, two_to_four, kSeen, 0).ok());
  auto c = t->counts(a.id, inbox.id);
  EXPECT_EQ(c->messages, 5u);
  EXPECT_EQ(c->unseen, 2u);
  EXPECT_EQ(c->deleted, 3u);
  EXPECT_EQ(c->size, 10u);

  auto copied = t->copy_messages(a.id, inbox.id, {{4, 5}}, archive.id, false);
  ASSERT_TRUE(copied.ok()) << copied.message();
  ASSERT_EQ(copied->messages.size(), 2u);
  EXPECT_FALSE(copied->over_quota);
  EXPECT_EQ(copied->messages[0].from_uid, 4u);
  EXPECT_EQ(copied->messages[0].uid, 1u);
  EXPECT_EQ(copied->messages[1].uid, 2u);
  auto in_archive = t->messages(a.id, archive.id).value();
  ASSERT_EQ(in_archive.size(), 2u);
  EXPECT_EQ(in_archive[0].flags, std::uint32_t{kSeen | kDeleted});
  EXPECT_EQ(*get(*t, a, in_archive[1].id), "m5");
  EXPECT_EQ(*t->summary(a.id, in_archive[1].id), "sum");
  EXPECT_FALSE(t->copy_messages(a.id, inbox.id, {{1, 5}}, binbox.id, false).ok());
  EXPECT_FALSE(t->copy_messages(b.id, inbox.id, {{1, 5}}, binbox.id, false)->messages.size());

  auto moved = t->copy_messages(a.id, inbox.id, {{1, 1}}, archive.id, true);
  ASSERT_TRUE(moved.ok()) << moved.message();
  EXPECT_EQ(moved->messages.front().uid, 3u);
  EXPECT_EQ(t->mailboxes(a.id)->back().uidnext, 4u);

  auto tagged = t->store_keywords(a.id, inbox.id, {{5, 5}}, {"$Junk", "$label1"}, {}, false);
  ASSERT_TRUE(tagged.ok()) << tagged.message();
  EXPECT_EQ(tagged->back().keywords, "$Junk $label1");
  tagged = t->store_keywords(a.id, inbox.id, {{5, 5}}, {"$junk", "Work"}, {"$LABEL1"}, false);
  EXPECT_EQ(tagged->back().keywords, "$Junk Work");
  EXPECT_EQ(t->messages(a.id, inbox.id, {{5, 5}})->front().keywords, "$Junk Work");
  tagged = t->store_keywords(a.id, inbox.id, {{5, 5}}, {"$NotJunk"}, {}, true);
  EXPECT_EQ(tagged->back().keywords, "$NotJunk");
  EXPECT_FALSE(t->store_keywords(b.id, inbox.id, {{5, 5}}, {"x"}, {}, false).ok());
  auto kept = t->copy_messages(a.id, inbox.id, {{5, 5}}, archive.id, false)->messages;
  auto copy = t->messages(a.id, archive.id, {{kept[0].uid, kept[0].uid}}).value();
  EXPECT_EQ(copy.front().keywords, "$NotJunk");

  auto gone = t->expunge_messages(a.id, inbox.id, {{1, 3}});
  ASSERT_TRUE(gone.ok()) << gone.message();
  EXPECT_EQ(*gone, (std::vector<std::uint32_t>{2, 3}));
  EXPECT_EQ(*t->expunge_messages(a.id, inbox.id, {{1, 0xffffffff}}), std::vector<std::uint32_t>{4});
  auto left = t->messages(a.id, inbox.id).value();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].uid, 5u);
}

}  // namespace
}  // namespace appliance::store
