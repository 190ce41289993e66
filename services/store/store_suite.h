// NAME
//   store_suite.h - the two backends as the shared store suite sees them.
//
// DESCRIPTION
//   The suite (store_suite_test.cpp) runs every store operation against
//   each Backend. A Backend opens a store and answers what only it can: the
//   raw bytes it keeps (for the marker and key greps), the wrapped key as
//   stored, how its errors name a tenant's storage, and how to set a schema
//   version behind the store's back.
//
//   SQLite: files under a temporary root. PostgreSQL: a fresh database on
//   one throwaway server per test process (postgres/testing/test_server.h).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "store/data_key.h"
#include "store/postgres/testing/test_server.h"
#include "store/store.h"
#include "store/testing/fixture.h"

namespace appliance::store::testing {

class Backend {
 public:
  virtual ~Backend() = default;
  virtual Result<std::unique_ptr<Store>> open(DataKeySource& keys) = 0;
  // Every byte of every file the backend wrote, after flushing what it
  // buffers; without logs: the data files only (PostgreSQL's pg_wal left out).
  virtual std::string raw_files(bool with_logs) = 0;
  virtual std::string wrapped_key(Id tenant, Id account) = 0;
  // How errors name the system data (no tenant) or a tenant's storage.
  virtual std::string where(std::optional<Id> tenant) = 0;
  virtual void set_version(std::optional<Id> tenant, int version) = 0;
  // Deletes a tenant's storage behind the store's back (its files, its schema).
  virtual void remove_storage(Id tenant) = 0;
  virtual std::filesystem::path spool(Id tenant) = 0;
  // Batches and jobs committed so far by the tenant's group commit.
  virtual std::pair<std::uint64_t, std::uint64_t> commits(TenantStore& t) = 0;
  // The libpq conninfo of the backend's database; empty for SQLite.
  virtual std::string conninfo() const { return ""; }
};

// The test process's PostgreSQL server, started on first use; null (and a
// test failure) when it cannot start.
postgres::testing::TestServer* postgres_server();

// name: "sqlite" or "postgres"; root: a temporary directory the backend may use.
std::unique_ptr<Backend> make_backend(const std::string& name, const std::filesystem::path& root);

// The helpers of StoreTest (tenant, account, put, get) on the chosen backend.
class StoreSuite : public StoreTest, public ::testing::WithParamInterface<std::string> {
 protected:
  void SetUp() override {
    char tmpl[] = "/var/tmp/store-test-XXXXXX";
    root_ = ::mkdtemp(tmpl);
    backend_ = make_backend(GetParam(), root_);
    ASSERT_TRUE(backend_);
    reopen();
  }
  void TearDown() override {
    store_.reset();
    backend_.reset();
    std::filesystem::remove_all(root_);
  }
  void reopen() {
    store_.reset();
    auto s = backend_->open(keys_);
    ASSERT_TRUE(s.ok()) << s.message();
    store_ = std::move(*s);
  }

  std::unique_ptr<Backend> backend_;
};

}  // namespace appliance::store::testing
