// NAME
//   pg.h - a thin libpq connection: $N parameters sent in binary, rows read in
//   binary, errors that name the schema.
//
// DESCRIPTION
//   Connection::open() connects with a conninfo string and sets the
//   search_path to one schema, so that the store's portable SQL names its
//   tables without a schema and reaches only that schema's.
//
//   query() sends every argument as a typed binary parameter (int64 as int8,
//   text as text, Bytes as bytea, BytesArray as bytea[]) and asks for binary
//   results, so sealed
//   bytes are never escaped. Rows holds the whole result: queries that could
//   return much (blob chunks) are written to return one row at a time.
//
//   Every error names the schema ("schema tenant_3: ..."). An error of class
//   XX (data_corrupted, index_corrupted) marks the connection damaged(), so
//   the tenant that owns it stops serving. A broken connection is reset on
//   its next use.
#pragma once

#include <libpq-fe.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"

namespace appliance::store::postgres {

struct Bytes {
  std::string_view data;
};

// A bytea[] parameter: many values in one statement.
struct BytesArray {
  std::vector<std::string_view> items;
};

// A query's result, held whole.
class Rows {
 public:
  explicit Rows(PGresult* r) : r_(r) {}
  int size() const { return PQntuples(r_.get()); }
  bool empty() const { return size() == 0; }
  std::int64_t int64(int row, int col) const;
  std::string text(int row, int col) const { return std::string(bytes(row, col)); }
  std::string_view bytes(int row, int col) const;
  bool null(int row, int col) const { return PQgetisnull(r_.get(), row, col); }

 private:
  struct Clear {
    void operator()(PGresult* r) const { PQclear(r); }
  };
  std::unique_ptr<PGresult, Clear> r_;
};

// Typed binary parameters, kept until the statement is sent.
struct Params {
  std::vector<Oid> types;
  std::vector<std::string> values;
  std::vector<bool> nulls;
  void put(Oid type, std::string value, bool null = false);
  void add(std::int64_t v);
  void add(int v) { add(std::int64_t{v}); }
  void add(std::uint32_t v) { add(std::int64_t{v}); }
  void add(std::uint64_t v) { add(static_cast<std::int64_t>(v)); }
  void add(std::string_view v) { put(25, std::string(v)); }
  void add(const std::string& v) { put(25, v); }
  void add(const char* v) { put(25, v); }
  void add(Bytes v) { put(17, std::string(v.data)); }
  void add(const BytesArray& v);
  void add(std::nullptr_t) { put(0, {}, true); }
  // Pointers and lengths as libpq takes them; valid while this lives.
  void wire(std::vector<const char*>& values, std::vector<int>& lengths) const;
};

// A statement and its parameters, to send later (Connection::pipeline).
struct Statement {
  std::string sql;
  Params params;
};

template <class... A>
Statement statement(std::string sql, const A&... args) {
  Statement s{std::move(sql), {}};
  (s.params.add(args), ...);
  return s;
}

class Connection {
 public:
  // where: how errors name what this connection serves ("schema tenant_3").
  static Result<std::unique_ptr<Connection>> open(const std::string& conninfo,
                                                  std::string_view schema, std::string where);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One or more statements, no parameters, no results.
  Result<void> exec(std::string_view sql);
  template <class... A>
  Result<Rows> query(std::string_view sql, const A&... args) {
    Params p;
    (p.add(args), ...);
    return run(sql, p);
  }

  Result<Rows> run(const Statement& s) { return run(s.sql, s.params); }
  // Sends every statement without waiting for the one before (libpq's
  // pipeline mode) inside BEGIN ... COMMIT, then calls done(i, result) for
  // each, in order. A statement after a failed one is not run. Returns the
  // COMMIT's result; a failed pipeline's transaction is rolled back.
  using Done = std::function<void(std::size_t, Result<Rows>)>;
  Result<void> pipeline(std::span<const Statement* const> statements, const Done& done);

  Error fail(std::string_view what, const PGresult* r = nullptr);
  bool damaged() const { return damaged_.load(); }
  const std::string& where() const { return where_; }

 private:
  Connection(PGconn* c, std::string schema, std::string where)
      : conn_(c), schema_(std::move(schema)), where_(std::move(where)) {}
  Result<void> ready();
  Result<void> set_search_path();
  Result<Rows> run(std::string_view sql, const Params& p);
  Result<std::string> prepared(std::string_view sql, const Params& p);
  Result<void> send_group(std::span<const Statement* const> group,
                          std::span<const std::string> names, bool first, bool last);
  Result<void> read_group(std::span<const Statement* const> group, std::size_t first_index,
                          bool first, bool last, const Done& done, bool& failed);

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
  std::string schema_, where_;
  std::atomic<bool> damaged_{false};
};

// BEGIN ... COMMIT around fn; ROLLBACK when fn or COMMIT fails. `begin` may
// name an isolation level ("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").
Result<void> transaction(Connection& c, const std::function<Result<void>()>& fn,
                         std::string_view begin = "BEGIN");

}  // namespace appliance::store::postgres
