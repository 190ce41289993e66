// NAME
//   damage_test - damaged or truncated files: the tenant is refused with the
//   file and the fault, the other tenants keep working.
#include <fmt/format.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

#include "store/testing/fixture.h"

namespace appliance::store {
namespace {

class DamageTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    auto one = tenant("damaged");
    auto two = tenant("healthy");
    damaged_ = one->id(), healthy_ = two->id();
    for (auto* t : {one.get(), two.get()}) {
      auto [a, inbox] = account(*t, "alice@example.test");
      for (int i = 0; i < 40; ++i)
        ASSERT_TRUE(put(*t, a, inbox, std::string(20000, 'a' + i % 26) + std::to_string(i)).ok());
      accounts_[t->id()] = {a, inbox};
    }
    one.reset(), two.reset();
    store_.reset();  // closes and checkpoints: the WAL is folded into the files
  }
  std::filesystem::path file(const char* name) { return tenant_dir(damaged_) / name; }
  void expect_refused(const std::string& what) {
    reopen();
    auto t = store_->tenant(damaged_);
    ASSERT_FALSE(t.ok());
    EXPECT_NE(t.message().find(fmt::format("tenant {} refused: ", damaged_)), std::string::npos);
    EXPECT_NE(t.message().find(what), std::string::npos) << t.message();
    expect_healthy_works();
  }
  void expect_healthy_works() {
    auto t = store_->tenant(healthy_);
    ASSERT_TRUE(t.ok()) << t.message();
    auto [a, inbox] = accounts_[healthy_];
    EXPECT_EQ((*t)->messages(a.id, inbox.id)->size(), 40u);
    EXPECT_TRUE(put(**t, a, inbox, "still accepting mail").ok());
  }
  Id damaged_ = 0, healthy_ = 0;
  std::map<Id, std::pair<Account, Mailbox>> accounts_;
};

TEST_F(DamageTest, TruncatedMetadata) {
  auto size = std::filesystem::file_size(file("meta.db"));
  std::filesystem::resize_file(file("meta.db"), size / 2);
  expect_refused(file("meta.db").string() + ": truncated: " + std::to_string(size / 2) + " bytes");
}

TEST_F(DamageTest, TruncatedBlobsToZero) {
  std::filesystem::resize_file(file("blobs.db"), 0);
  expect_refused(file("blobs.db").string() + ": empty (truncated to 0 bytes)");
}

TEST_F(DamageTest, MissingFile) {
  std::filesystem::remove(file("meta.db"));
  expect_refused(file("meta.db").string() + ": missing");
}

TEST_F(DamageTest, NotADatabase) {
  int fd = ::open(file("meta.db").c_str(), O_WRONLY);
  ASSERT_EQ(::pwrite(fd, "garbage!", 8, 0), 8);
  ::close(fd);
  expect_refused(file("meta.db").string() + ": not an SQLite database");
}

TEST_F(DamageTest, OverwrittenPages) {
  auto size = std::filesystem::file_size(file("blobs.db"));
  std::string junk(size / 2, '\x5a');
  int fd = ::open(file("blobs.db").c_str(), O_WRONLY);
  ASSERT_EQ(::pwrite(fd, junk.data(), junk.size(), 4096), static_cast<ssize_t>(junk.size()));
  ::close(fd);
  expect_refused(file("blobs.db").string());
}

TEST_F(DamageTest, AlteredChunkIsNamedOnReadAndByCheck) {
  exec(file("blobs.db"), "UPDATE chunks SET data = zeroblob(length(data)) WHERE blob = 3");
  reopen();
  auto t = store_->tenant(damaged_).value();
  auto [a, inbox] = accounts_[damaged_];
  auto msgs = t->messages(a.id, inbox.id).value();
  auto r = get(*t, a, msgs[2].id);
  ASSERT_FALSE(r.ok());
  std::string where = file("blobs.db").string() + ": blob " + crypto::hex(msgs[2].blob);
  EXPECT_EQ(r.message(), where + ": chunk 0: authentication failed");
  auto report = t->check(true).value();
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0], where + ": chunk 0: authentication failed");
  EXPECT_TRUE(get(*t, a, msgs[3].id).ok());  // the rest of the tenant is served
}

TEST_F(DamageTest, MissingBlobAndMissingChunkAreReported) {
  exec(file("blobs.db"),
       "PRAGMA foreign_keys=ON; DELETE FROM blobs WHERE ref = 5; "
       "DELETE FROM chunks WHERE blob = 6");
  reopen();
  auto t = store_->tenant(damaged_).value();
  auto report = t->check(false).value();
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_NE(report.errors[0].find("refers to blob"), std::string::npos) << report.errors[0];
  EXPECT_NE(report.errors[1].find("has 0 of its 1 chunks"), std::string::npos) << report.errors[1];
}

}  // namespace
}  // namespace appliance::store
