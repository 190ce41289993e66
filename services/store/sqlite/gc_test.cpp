// NAME
//   gc_test - garbage collection spares a blob another process may be about
//   to refer to (tenant_check.cpp, collect_garbage).
#include <sqlite3.h>

#include "store/testing/fixture.h"

namespace appliance::store {
namespace {

class GarbageTest : public testing::StoreTest {
 protected:
  // The oldest blob's `created`, read as another process would.
  static std::int64_t oldest_blob(const std::filesystem::path& blobs_db) {
    sqlite3* db = nullptr;
    sqlite3_stmt* q = nullptr;
    std::int64_t out = -1;
    if (sqlite3_open(blobs_db.c_str(), &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT min(created) FROM blobs", -1, &q, nullptr) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
      out = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return out;
  }
  // A message appended and expunged, its blob left an orphan stored long ago.
  void old_orphan(TenantStore& t, const Account& a, const Mailbox& inbox, std::string_view body) {
    auto m = put(t, a, inbox, body);
    ASSERT_TRUE(m.ok()) << m.message();
    ASSERT_TRUE(t.set_flags(a.id, m->id, kDeleted, 0).ok());
    ASSERT_EQ(*t.expunge(a.id, inbox.id), 1u);
    exec(tenant_dir(t.id()) / "blobs.db", "UPDATE blobs SET created = 0");
  }
};

// An orphan stored long ago, whose content is appended again. The append
// finds it stored and makes it young again: until its row commits (in the
// meta phase, after the blob phase) the blob is still an orphan, and a gc in
// another process, which no batch of this one holds back, must spare it.
TEST_F(GarbageTest, AnAppendOfStoredContentMakesItsBlobYoungAgain) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  old_orphan(*t, a, inbox, "the same body");
  ASSERT_EQ(oldest_blob(tenant_dir(t->id()) / "blobs.db"), 0);
  auto again = put(*t, a, inbox, "the same body");
  ASSERT_TRUE(again.ok()) << again.message();
  EXPECT_GT(oldest_blob(tenant_dir(t->id()) / "blobs.db"), 0);
  EXPECT_EQ(*t->collect_garbage(TenantStore::kGarbageMinAge), 0u);
  EXPECT_EQ(*get(*t, a, again->id), "the same body");
  EXPECT_EQ(t->check(true)->orphaned_blobs, 0u);
}

// The same orphan, not appended again, is old enough to go.
TEST_F(GarbageTest, AnOldOrphanIsCollected) {
  auto t = tenant("example");
  auto [a, inbox] = account(*t, "alice@example.test");
  old_orphan(*t, a, inbox, "a body");
  EXPECT_EQ(*t->collect_garbage(TenantStore::kGarbageMinAge), 1u);
  EXPECT_EQ(t->check(true)->orphaned_blobs, 0u);
}

}  // namespace
}  // namespace appliance::store
