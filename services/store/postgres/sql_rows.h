// NAME
//   sql_rows.h - what store/sql_accounts.h needs of a PostgreSQL connection.
#pragma once

#include <cstdint>
#include <string_view>

#include "store/postgres/pg.h"

namespace appliance::store::postgres {

// One row of a result, read by column like SQLite's Statement.
struct RowView {
  const Rows& rows;
  int row;
  std::int64_t int64(int col) const { return rows.int64(row, col); }
  std::string text(int col) const { return rows.text(row, col); }
  std::string_view bytes(int col) const { return rows.bytes(row, col); }
  bool null(int col) const { return rows.null(row, col); }
};

// Runs one statement; f(row) for each row; how many rows there were.
template <class F, class... A>
Result<std::uint64_t> for_rows(Connection& c, const F& f, std::string_view sql, const A&... args) {
  auto q = c.query(sql, args...);
  if (!q) return q.error();
  for (int i = 0; i < q->size(); ++i) f(RowView{*q, i});
  return static_cast<std::uint64_t>(q->size());
}

// Appends from other processes wait until this transaction ends, so two
// events never link to the same predecessor.
inline Result<void> lock_events(Connection& c) {
  return c.exec("LOCK TABLE security_events IN SHARE ROW EXCLUSIVE MODE");
}

}  // namespace appliance::store::postgres
