// NAME
//   pg.cpp - libpq connections, binary parameters and results, transactions.
#include "store/postgres/pg.h"

#include <fmt/format.h>

namespace appliance::store::postgres {
namespace {

constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kByteaArray = 1001;

void put32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

std::int64_t big_endian(std::string_view b) {
  std::uint64_t v = 0;
  for (unsigned char c : b) v = (v << 8) | c;
  // Sign-extend the narrower integer types.
  unsigned bits = static_cast<unsigned>(b.size() * 8);
  if (bits > 0 && bits < 64 && (v >> (bits - 1)) & 1) v |= ~std::uint64_t{0} << bits;
  return static_cast<std::int64_t>(v);
}

std::string trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::int64_t Rows::int64(int row, int col) const {
  Oid type = PQftype(r_.get(), col);
  std::string_view b = bytes(row, col);
  if (type == kInt8 || type == kInt4 || type == kInt2 || type == kBool) return big_endian(b);
  return 0;  // not an integer column: a bug in the query, caught by the tests
}

std::string_view Rows::bytes(int row, int col) const {
  return {PQgetvalue(r_.get(), row, col),
          static_cast<std::size_t>(PQgetlength(r_.get(), row, col))};
}

void Params::put(Oid type, std::string value, bool null) {
  types.push_back(type);
  values.push_back(std::move(value));
  nulls.push_back(null);
}

void Params::add(std::int64_t v) {
  std::string b(8, '\0');
  for (int i = 7; i >= 0; --i, v = static_cast<std::int64_t>(static_cast<std::uint64_t>(v) >> 8))
    b[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xff);
  put(kInt8, std::move(b));
}

void Params::wire(std::vector<const char*>& out, std::vector<int>& lengths) const {
  for (std::size_t i = 0; i < values.size(); ++i) {
    out.push_back(nulls[i] ? nullptr : values[i].data());
    lengths.push_back(static_cast<int>(values[i].size()));
  }
}

// The binary array format: dimensions, no nulls, element type, length and
// lower bound of the one dimension, then each element's length and bytes.
void Params::add(const BytesArray& v) {
  std::string b;
  for (std::uint32_t word : {1u, 0u, std::uint32_t{kBytea}, std::uint32_t(v.items.size()), 1u})
    put32(b, word);
  for (auto item : v.items) {
    put32(b, static_cast<std::uint32_t>(item.size()));
    b.append(item);
  }
  put(kByteaArray, std::move(b));
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& conninfo,
                                                     std::string_view schema, std::string where) {
  PGconn* c = PQconnectdb(conninfo.c_str());
  std::unique_ptr<Connection> conn(new Connection(c, std::string(schema), std::move(where)));
  if (!c || PQstatus(c) != CONNECTION_OK) return conn->fail("cannot connect");
  if (auto r = conn->set_search_path(); !r) return r.error();
  return conn;
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

Result<void> Connection::set_search_path() {
  // The schema name is made by the store from a number, never from input.
  return exec(
      fmt::format("SET search_path TO \"{}\"; SET client_min_messages TO warning", schema_));
}

// A connection broken since its last use (server restarted) is reset once.
Result<void> Connection::ready() {
  if (PQstatus(conn_) == CONNECTION_OK) return {};
  PQreset(conn_);
  prepared_.clear();  // the server forgot them with the session
  if (PQstatus(conn_) != CONNECTION_OK) return fail("cannot reconnect");
  return set_search_path();
}

Error Connection::fail(std::string_view what, const PGresult* r) {
  std::string message = trimmed(r ? PQresultErrorMessage(r) : PQerrorMessage(conn_));
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  if (state && state[0] == 'X' && state[1] == 'X') damaged_ = true;
  return make_error(fmt::format("{}: {}: {}", where_, what, message));
}

Result<void> Connection::exec(std::string_view sql) {
  if (auto r = ready(); !r) return r;
  std::unique_ptr<PGresult, void (*)(PGresult*)> r(PQexec(conn_, std::string(sql).c_str()),
                                                   PQclear);
  auto status = PQresultStatus(r.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return fail(sql, r.get());
  return {};
}

Result<Rows> Connection::run(std::string_view sql, const Params& p) {
  if (auto r = ready(); !r) return r.error();
  std::vector<const char*> values;
  std::vector<int> lengths, formats(p.values.size(), 1);
  p.wire(values, lengths);
  auto name = prepared(sql, p);
  if (!name) return name.error();
  PGresult* r = PQexecPrepared(conn_, name->c_str(), static_cast<int>(values.size()), values.data(),
                               lengths.data(), formats.data(), 1);
  auto status = PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error e = fail(sql, r);
    PQclear(r);
    return e;
  }
  return Rows(r);
}

Result<std::string> Connection::prepared(std::string_view sql, const Params& p) {
  std::string text(sql);
  if (auto it = prepared_.find(text); it != prepared_.end()) return it->second;
  std::string name = "s" + std::to_string(prepared_.size());
  PGresult* r = PQprepare(conn_, name.c_str(), text.c_str(), static_cast<int>(p.types.size()),
                          p.types.data());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  Error e = ok ? Error{} : fail(sql, r);
  PQclear(r);
  if (!ok) return e;
  prepared_.emplace(std::move(text), name);
  return name;
}

Result<void> transaction(Connection& c, const std::function<Result<void>()>& fn,
                         std::string_view begin) {
  if (auto r = c.exec(begin); !r) return r;
  auto r = fn();
  if (r) r = c.exec("COMMIT");
  if (!r) (void)c.exec("ROLLBACK");
  return r;
}

}  // namespace appliance::store::postgres
