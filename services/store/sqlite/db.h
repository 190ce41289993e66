// NAME
//   db.h - a thin SQLite connection: prepared statements, $N parameters, errors
//   that name the file.
//
// DESCRIPTION
//   The store's SQL uses $1, $2 ... placeholders, the form PostgreSQL also
//   takes. SQLite numbers a `$1` parameter by order of appearance, so
//   Statement binds by name ("$1") and SQL may use them in any order.
//
//   Every error names the database file. An error that means the file is
//   damaged (SQLITE_CORRUPT, SQLITE_NOTADB) also marks the connection
//   corrupt(), so the tenant that owns it stops serving.
//
//   check_file() looks at a database file SQLite has opened but not yet read:
//   SQLite would take an empty file for a new database and serve it.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/result.h"

namespace appliance::store::sqlite {

struct Bytes {
  std::string_view data;
};

class Database;
struct Connection;  // a Database's stable heap state

class Statement {
 public:
  // cached: owned by the Database's cache, reset (not finalized) when done.
  Statement(sqlite3_stmt* stmt, Connection* db, bool cached)
      : stmt_(stmt), db_(db), cached_(cached) {}
  Statement(Statement&& o) noexcept
      : stmt_(o.stmt_), db_(o.db_), bind_error_(o.bind_error_), cached_(o.cached_) {
    o.stmt_ = nullptr;
  }
  Statement(const Statement&) = delete;
  ~Statement();

  Statement& bind(int n, std::int64_t v);
  Statement& bind(int n, std::string_view text);
  Statement& bind(int n, Bytes bytes);
  Statement& bind(int n, std::nullptr_t);

  Result<bool> step();  // true: a row is ready
  Result<void> run();   // steps to the end

  std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string text(int col) const;
  std::string_view bytes(int col) const;  // valid until the next step
  bool null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  int index(int n);
  sqlite3_stmt* stmt_;
  Connection* db_;
  int bind_error_ = SQLITE_OK;
  bool cached_ = false;
};

struct Connection {
  sqlite3* db = nullptr;
  std::filesystem::path path;
  std::atomic<bool> corrupt{false};
  // Prepared once per connection; a statement in use is taken out of the
  // cache, so nested use of the same SQL prepares a second one.
  std::unordered_map<std::string, sqlite3_stmt*> cache;
  Error fail(int rc, std::string_view what);
};

class Database {
 public:
  // create: make the file if absent; otherwise a missing file is an error.
  static Result<Database> open(const std::filesystem::path& path, bool create);
  Database(Database&&) noexcept = default;
  Database& operator=(Database&&) noexcept = default;
  ~Database();

  Result<void> exec(std::string_view sql);  // one or more statements, no results
  Result<void> run(std::string_view sql);   // one cached statement, no results
  Result<Statement> prepare(std::string_view sql);
  template <class... A>
  Result<Statement> query(std::string_view sql, const A&... args) {
    auto s = prepare(sql);
    if (!s) return s;
    int n = 0;
    (s->bind(++n, arg(args)), ...);
    return s;
  }

  // "<path>: <what>: <sqlite's message>", and marks the database corrupt when it is.
  Error fail(int rc, std::string_view what) { return state_->fail(rc, what); }
  bool corrupt() const { return state_->corrupt.load(); }
  const std::filesystem::path& path() const { return state_->path; }
  sqlite3* handle() const { return state_->db; }

 private:
  static std::int64_t arg(std::int64_t v) { return v; }
  static std::int64_t arg(int v) { return v; }
  static std::int64_t arg(std::uint32_t v) { return v; }
  static std::int64_t arg(std::uint64_t v) { return static_cast<std::int64_t>(v); }
  static std::string_view arg(std::string_view v) { return v; }
  static std::string_view arg(const std::string& v) { return v; }
  static std::string_view arg(const char* v) { return v; }
  static Bytes arg(Bytes v) { return v; }
  static std::nullptr_t arg(std::nullptr_t) { return nullptr; }

  Database() = default;
  std::unique_ptr<Connection> state_;
};

// Refuses a file that is empty, shorter than its header says, or not SQLite.
Result<void> check_file(sqlite3* db, const std::filesystem::path& path);

// BEGIN IMMEDIATE ... COMMIT around fn; ROLLBACK when fn or COMMIT fails.
Result<void> transaction(Database& db, const std::function<Result<void>()>& fn);

}  // namespace appliance::store::sqlite
