// NAME
//   fixture.h - a store in a temporary directory, for the SQLite tests.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "store/sqlite/sqlite_store.h"
#include "store/testing/workload.h"

namespace appliance::store::testing {

// Every byte of every file under root.
inline std::string all_files(const std::filesystem::path& root) {
  std::string all;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root))
    if (e.is_regular_file()) {
      std::ifstream in(e.path(), std::ios::binary);
      all.append(std::istreambuf_iterator<char>(in), {});
    }
  return all;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/var/tmp/store-test-XXXXXX";
    root_ = ::mkdtemp(tmpl);
    reopen();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(root_);
  }
  void reopen() {
    store_.reset();
    auto s = sqlite::open_store({root_, &keys_});
    ASSERT_TRUE(s.ok()) << s.message();
    store_ = std::move(*s);
  }
  std::shared_ptr<TenantStore> tenant(const std::string& name) {
    auto t = store_->create_tenant(name);
    EXPECT_TRUE(t.ok()) << t.message();
    return store_->tenant(t->id).value();
  }
  // An account with an INBOX.
  std::pair<Account, Mailbox> account(TenantStore& t, const std::string& address) {
    auto a = t.create_account(address);
    EXPECT_TRUE(a.ok()) << a.message();
    auto mb = t.create_mailbox(a->id, "INBOX");
    EXPECT_TRUE(mb.ok()) << mb.message();
    return {*a, *mb};
  }
  Result<Message> put(TenantStore& t, const Account& a, const Mailbox& mb, std::string_view body,
                      std::string summary = "") {
    auto w = t.new_blob(a.id);
    if (!w) return w.error();
    for (std::size_t at = 0; at < body.size(); at += 4000)
      if (auto r = (*w)->write(body.substr(at, 4000)); !r) return r.error();
    return t.append(std::move(*w), {a.id, mb.id, 1700000000, 0, std::move(summary)});
  }
  Result<std::string> get(TenantStore& t, const Account& a, Id message) {
    std::string out;
    auto r = t.read(a.id, message, [&](std::string_view p) -> Result<void> {
      out += p;
      return {};
    });
    if (!r) return r.error();
    return out;
  }
  // Every byte of every file under the store's root.
  std::string raw_files() { return all_files(root_); }
  std::filesystem::path tenant_dir(Id id) { return root_ / "tenants" / std::to_string(id); }
  // sql on a database file through a connection of its own, as another process would.
  static void exec(const std::filesystem::path& db_file, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_file.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  std::filesystem::path root_;
  LocalDataKeySource keys_{Secret(std::string(32, 'm'))};
  std::unique_ptr<Store> store_;
};

}  // namespace appliance::store::testing
