// NAME
//   sql_rows.h - what store/sql_accounts.h needs of a SQLite connection.
#pragma once

#include <cstdint>
#include <string_view>

#include "store/sqlite/db.h"

namespace appliance::store::sqlite {

// Runs one statement; f(row) for each row; how many rows there were.
template <class F, class... A>
Result<std::uint64_t> for_rows(Database& db, const F& f, std::string_view sql, const A&... args) {
  auto q = db.query(sql, args...);
  if (!q) return q.error();
  for (std::uint64_t n = 0;; ++n) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return n;
    f(*q);
  }
}

// BEGIN IMMEDIATE already holds the database's write lock.
inline Result<void> lock_events(Database&) {
  return {};
}

}  // namespace appliance::store::sqlite
