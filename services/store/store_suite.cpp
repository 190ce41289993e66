// NAME
//   store_suite.cpp - the SQLite and PostgreSQL backends of the store suite.
#include "store/store_suite.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

#include "store/postgres/pg.h"
#include "store/postgres/postgres_store.h"
#include "store/postgres/tenant.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/tenant.h"

namespace appliance::store::testing {
namespace {

std::string read_tree(const std::filesystem::path& root, const std::string& skip) {
  std::string all;
  for (auto it = std::filesystem::recursive_directory_iterator(root);
       it != std::filesystem::recursive_directory_iterator(); ++it) {
    if (!skip.empty() && it->path().filename() == skip) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::size_t at = all.size();
    all.resize(at + it->file_size());
    in.read(all.data() + at, static_cast<std::streamsize>(it->file_size()));
    all.resize(at + static_cast<std::size_t>(in.gcount()));
  }
  return all;
}

class SqliteBackend final : public Backend {
 public:
  explicit SqliteBackend(std::filesystem::path root) : root_(std::move(root)) {}
  Result<std::unique_ptr<Store>> open(DataKeySource& keys) override {
    return sqlite::open_store({root_, &keys});
  }
  std::string raw_files(bool) override { return read_tree(root_, ""); }
  std::string wrapped_key(Id tenant, Id account) override {
    sqlite3* db = nullptr;
    sqlite3_open((dir(tenant) / "meta.db").c_str(), &db);
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, "SELECT wrapped_key FROM accounts WHERE id = ?", -1, &q, nullptr);
    sqlite3_bind_int64(q, 1, account);
    std::string out;
    if (sqlite3_step(q) == SQLITE_ROW)
      out.assign(static_cast<const char*>(sqlite3_column_blob(q, 0)), sqlite3_column_bytes(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(db);
    return out;
  }
  std::string where(std::optional<Id> tenant) override {
    return (tenant ? dir(*tenant) / "meta.db" : root_ / "system.db").string();
  }
  void set_version(std::optional<Id> tenant, int version) override {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(where(tenant).c_str(), &db), SQLITE_OK);
    std::string sql = "UPDATE schema_version SET version = " + std::to_string(version);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  void remove_storage(Id tenant) override { std::filesystem::remove_all(dir(tenant)); }
  std::filesystem::path spool(Id tenant) override { return dir(tenant) / "tmp"; }
  std::pair<std::uint64_t, std::uint64_t> commits(TenantStore& t) override {
    auto& c = dynamic_cast<sqlite::SqliteTenant&>(t).committer();
    return {c.batches(), c.jobs()};
  }

 private:
  std::filesystem::path dir(Id id) const { return root_ / "tenants" / std::to_string(id); }
  std::filesystem::path root_;
};

class PostgresBackend final : public Backend {
 public:
  PostgresBackend(postgres::testing::TestServer& server, std::string database,
                  std::filesystem::path spool)
      : server_(server), database_(std::move(database)), spool_(std::move(spool)) {}
  ~PostgresBackend() override { (void)server_.drop_database(database_); }

  Result<std::unique_ptr<Store>> open(DataKeySource& keys) override {
    return postgres::open_store({server_.conninfo(database_), &keys, spool_});
  }
  std::string raw_files(bool with_logs) override {
    EXPECT_TRUE(server_.sql(database_, "CHECKPOINT").ok());
    return read_tree(server_.data_dir(), with_logs ? "" : "pg_wal");
  }
  std::string wrapped_key(Id tenant, Id account) override {
    auto c = postgres::Connection::open(server_.conninfo(database_),
                                        postgres::PgTenant::schema(tenant), "test");
    if (!c) {
      ADD_FAILURE() << c.message();
      return "";
    }
    auto q = (*c)->query("SELECT wrapped_key FROM accounts WHERE id = $1", account);
    if (!q || q->empty()) return "";
    return q->text(0, 0);
  }
  std::string where(std::optional<Id> tenant) override {
    return "schema " + (tenant ? postgres::PgTenant::schema(*tenant) : "appliance");
  }
  void set_version(std::optional<Id> tenant, int version) override {
    std::string schema = tenant ? postgres::PgTenant::schema(*tenant) : "appliance";
    auto r = server_.sql(
        database_, "UPDATE " + schema + ".schema_version SET version = " + std::to_string(version));
    ASSERT_TRUE(r.ok()) << r.message();
  }
  void remove_storage(Id tenant) override {
    auto r =
        server_.sql(database_, "DROP SCHEMA " + postgres::PgTenant::schema(tenant) + " CASCADE");
    ASSERT_TRUE(r.ok()) << r.message();
  }
  std::filesystem::path spool(Id tenant) override {
    return spool_ / postgres::PgTenant::schema(tenant);
  }
  std::pair<std::uint64_t, std::uint64_t> commits(TenantStore& t) override {
    auto& c = dynamic_cast<postgres::PgTenant&>(t).committer();
    return {c.batches(), c.jobs()};
  }
  std::string conninfo() const override { return server_.conninfo(database_); }

 private:
  postgres::testing::TestServer& server_;
  std::string database_;
  std::filesystem::path spool_;
};

}  // namespace

// One server for the whole test process, stopped when the process exits.
postgres::testing::TestServer* postgres_server() {
  static auto started = postgres::testing::TestServer::start();
  if (!started) {
    ADD_FAILURE() << "cannot start PostgreSQL: " << started.message();
    return nullptr;
  }
  return started->get();
}

std::unique_ptr<Backend> make_backend(const std::string& name, const std::filesystem::path& root) {
  if (name == "sqlite") return std::make_unique<SqliteBackend>(root);
  auto* s = postgres_server();
  if (!s) return nullptr;
  auto db = s->create_database();
  if (!db) {
    ADD_FAILURE() << db.message();
    return nullptr;
  }
  return std::make_unique<PostgresBackend>(*s, *db, root / "spool");
}

}  // namespace appliance::store::testing
