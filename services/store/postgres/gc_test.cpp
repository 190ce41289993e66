// NAME
//   gc_test - PostgreSQL: garbage collection spares a blob whose content is
//   being stored again (tenant_messages.cpp, store_blob and append_in_one).
//   The SQLite equivalent is in sqlite/gc_test.cpp.
#include "store/postgres/pg.h"
#include "store/postgres/tenant.h"
#include "store/store_suite.h"

namespace appliance::store {
namespace {

class PgGarbageTest : public testing::StoreSuite {
 protected:
  // The tenant's schema as another process sees it.
  std::unique_ptr<postgres::Connection> raw(Id tenant) {
    auto c = postgres::Connection::open(backend_->conninfo(), postgres::PgTenant::schema(tenant),
                                        "test");
    EXPECT_TRUE(c.ok()) << c.message();
    return c ? std::move(*c) : nullptr;
  }
  std::int64_t oldest_blob(Id tenant) {
    auto c = raw(tenant);
    return c ? c->query("SELECT min(created) FROM blobs").value().int64(0, 0) : -1;
  }
  // A message appended and expunged, its blob left an orphan stored long ago.
  void old_orphan(TenantStore& t, const Account& a, const Mailbox& inbox, std::string_view body) {
    auto m = put(t, a, inbox, body);
    ASSERT_TRUE(m.ok()) << m.message();
    ASSERT_TRUE(t.set_flags(a.id, m->id, kDeleted, 0).ok());
    ASSERT_EQ(*t.expunge(a.id, inbox.id), 1u);
    auto c = raw(t.id());
    ASSERT_TRUE(c && c->exec("UPDATE blobs SET created = 0").ok());
  }
};

// The append finds the content stored and makes the blob young again: a gc
// in another process, which no batch of this one holds back, spares it.
// Here in one statement (append_in_one, a blob in memory).
TEST_P(PgGarbageTest, AnAppendOfStoredContentMakesItsBlobYoungAgain) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  old_orphan(*t, a, inbox, "the same body");
  ASSERT_EQ(oldest_blob(t->id()), 0);
  auto again = put(*t, a, inbox, "the same body");
  ASSERT_TRUE(again.ok()) << again.message();
  EXPECT_GT(oldest_blob(t->id()), 0);
  EXPECT_EQ(*t->collect_garbage(TenantStore::kGarbageMinAge), 0u);
  EXPECT_EQ(*get(*t, a, again->id), "the same body");
  EXPECT_EQ(t->check(true)->orphaned_blobs, 0u);
}

// The same in order (store_blob): append_all stores its blobs one by one, as
// a batch run again after a failed job does.
TEST_P(PgGarbageTest, AnAppendInOrderMakesItsBlobYoungAgain) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  old_orphan(*t, a, inbox, "the same body");
  auto w = t->new_blob(a.id).value();
  ASSERT_TRUE(w->write("the same body").ok());
  std::vector<std::unique_ptr<BlobWriter>> blobs;
  blobs.push_back(std::move(w));
  auto again = t->append_all(std::move(blobs), {{a.id, inbox.id, 0, 0, ""}});
  ASSERT_TRUE(again.ok()) << again.message();
  EXPECT_GT(oldest_blob(t->id()), 0);
  EXPECT_EQ(*t->collect_garbage(TenantStore::kGarbageMinAge), 0u);
  EXPECT_EQ(*get(*t, a, again->messages.front().id), "the same body");
}

INSTANTIATE_TEST_SUITE_P(Postgres, PgGarbageTest, ::testing::Values("postgres"));

}  // namespace
}  // namespace appliance::store
