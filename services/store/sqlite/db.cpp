// NAME
//   db.cpp - SQLite connections, statements and file checks.
#include "store/sqlite/db.h"

#include "store/sqlite/permissions.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <utility>

#include <fmt/format.h>

namespace appliance::store::sqlite {
namespace {

bool damaged(int rc) {
  int primary = rc & 0xff;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

std::uint32_t be(const unsigned char* p, int n) {
  std::uint32_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

Statement::~Statement() {
  if (!stmt_) return;
  if (!cached_) {
    sqlite3_finalize(stmt_);
    return;
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  auto& slot = db_->cache[sqlite3_sql(stmt_)];
  if (slot) sqlite3_finalize(slot);
  slot = stmt_;
}

int Statement::index(int n) {
  char name[16];
  fmt::format_to_n(name, sizeof name - 1, "${}", n).out[0] = '\0';
  int i = sqlite3_bind_parameter_index(stmt_, name);
  if (i == 0) bind_error_ = SQLITE_RANGE;
  return i;
}

Statement& Statement::bind(int n, std::int64_t v) {
  if (int i = index(n); i && sqlite3_bind_int64(stmt_, i, v) != SQLITE_OK)
    bind_error_ = SQLITE_MISUSE;
  return *this;
}

Statement& Statement::bind(int n, std::string_view v) {
  if (int i = index(n); i && sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT,
                                                 SQLITE_UTF8) != SQLITE_OK)
    bind_error_ = SQLITE_MISUSE;
  return *this;
}

Statement& Statement::bind(int n, Bytes v) {
  // A zero-length blob must still be a blob, not NULL.
  const void* p = v.data.empty() ? "" : v.data.data();
  if (int i = index(n);
      i && sqlite3_bind_blob64(stmt_, i, p, v.data.size(), SQLITE_TRANSIENT) != SQLITE_OK)
    bind_error_ = SQLITE_MISUSE;
  return *this;
}

Statement& Statement::bind(int n, std::nullptr_t) {
  if (int i = index(n); i) sqlite3_bind_null(stmt_, i);
  return *this;
}

Result<bool> Statement::step() {
  if (bind_error_ != SQLITE_OK) return db_->fail(bind_error_, "binding a parameter");
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->fail(rc, sqlite3_sql(stmt_));
}

Result<void> Statement::run() {
  for (;;) {
    auto r = step();
    if (!r) return r.error();
    if (!*r) return {};
  }
}

std::string Statement::text(int col) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string();
}

std::string_view Statement::bytes(int col) const {
  auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string_view();
}

Result<Database> Database::open(const std::filesystem::path& path, bool create) {
  bool existed = std::filesystem::exists(path);
  if (!create && !existed) return make_error(fmt::format("{}: missing", path.string()));
  Database d;
  d.state_ = std::make_unique<Connection>();
  d.state_->path = path;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &d.state_->db, flags, nullptr);
  if (rc != SQLITE_OK) return d.fail(rc, "cannot open");
  // Before SQLite reads or writes anything: it would take an empty file for a new database.
  if (existed)
    if (auto r = check_file(d.state_->db, path); !r) return r.error();
  share_file(path);  // before any -wal or -shm is made: they copy its mode
  sqlite3_extended_result_codes(d.state_->db, 1);
  sqlite3_busy_timeout(d.state_->db, 10000);
  // FULL: in WAL mode every commit syncs the WAL, so a commit is durable when
  // it returns; secure_delete: freed pages are zeroed (crypto-shredding).
  if (auto r = d.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                      "PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;");
      !r)
    return r.error();
  return d;
}

Database::~Database() {
  if (!state_ || !state_->db) return;
  for (auto& [sql, stmt] : state_->cache) sqlite3_finalize(stmt);
  sqlite3_close_v2(state_->db);
}

Error Connection::fail(int rc, std::string_view what) {
  if (damaged(rc)) corrupt = true;
  const char* msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return make_error(fmt::format("{}: {}: {}", path.string(), what, msg));
}

Result<void> Database::exec(std::string_view sql) {
  std::string s(sql);
  int rc = sqlite3_exec(state_->db, s.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return fail(rc, sql.substr(0, 60));
  return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
  if (auto it = state_->cache.find(std::string(sql)); it != state_->cache.end() && it->second) {
    sqlite3_stmt* stmt = std::exchange(it->second, nullptr);
    return Statement(stmt, state_.get(), true);
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(state_->db, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return fail(rc, sql);
  return Statement(stmt, state_.get(), true);
}

Result<void> check_file(sqlite3* db, const std::filesystem::path& path) {
  // Through SQLite's own handle: an open() and close() of the file here would
  // drop every POSIX lock this process holds on it (SQLite's "How To Corrupt",
  // 2.2), and another process could then delete a WAL still being written.
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK || !file ||
      !file->pMethods)
    return make_error(fmt::format("{}: missing", path.string()));
  sqlite3_int64 size = 0;
  if (file->pMethods->xFileSize(file, &size) != SQLITE_OK)
    return make_error(fmt::format("{}: cannot read its size", path.string()));
  unsigned char h[100] = {};
  int rc = file->pMethods->xRead(file, h, sizeof h, 0);
  if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ)
    return make_error(fmt::format("{}: cannot read its header", path.string()));
  sqlite3_int64 n = std::min<sqlite3_int64>(size, sizeof h);
  if (size == 0) return make_error(fmt::format("{}: empty (truncated to 0 bytes)", path.string()));
  if (n < 100)
    return make_error(fmt::format("{}: truncated: {} bytes, shorter than the 100-byte header",
                                  path.string(), size));
  if (std::string_view(reinterpret_cast<char*>(h), 16) != std::string_view("SQLite format 3\0", 16))
    return make_error(fmt::format("{}: not an SQLite database (bad header)", path.string()));
  std::uint64_t page = be(h + 16, 2) == 1 ? 65536 : be(h + 16, 2);
  std::uint64_t pages = be(h + 28, 4);
  bool size_valid = be(h + 24, 4) == be(h + 92, 4);  // "in-header size" is current
  // With a WAL beside it the file alone is not the database, and a checkpoint
  // in another connection may have written page 1 before the pages after it:
  // the header's size is then checked by SQLite's own quick_check instead.
  std::error_code ec;
  std::filesystem::path wal = path.string() + "-wal";
  if (std::filesystem::exists(wal, ec) && std::filesystem::file_size(wal, ec) > 0)
    size_valid = false;
  if (size_valid && static_cast<std::uint64_t>(size) < pages * page)
    return make_error(fmt::format("{}: truncated: {} bytes, its header says {} pages of {} bytes",
                                  path.string(), size, pages, page));
  return {};
}

Result<void> Database::run(std::string_view sql) {
  auto q = prepare(sql);
  if (!q) return q.error();
  return q->run();
}

Result<void> transaction(Database& db, const std::function<Result<void>()>& fn) {
  if (auto r = db.run("BEGIN IMMEDIATE"); !r) return r;
  auto r = fn();
  if (r) r = db.run("COMMIT");
  if (!r) (void)db.exec("ROLLBACK");
  return r;
}

}  // namespace appliance::store::sqlite
