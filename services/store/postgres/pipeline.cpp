// NAME
//   pipeline.cpp - many statements in one transaction, sent without waiting.
//
// DESCRIPTION
//   The commit leader's batch is BEGIN, one statement per message, COMMIT.
//   Sent one by one, each waits for the server and back: on a busy machine
//   that wait, not the work, is most of a message's cost. In libpq's
//   pipeline mode they are sent back to back and the results read after.
//   Statements go in groups of kGroup, each group's results read before the
//   next is sent, so neither side's socket buffer fills while the other
//   waits.
#include <fmt/format.h>

#include "store/postgres/pg.h"

namespace appliance::store::postgres {
namespace {

constexpr std::size_t kGroup = 64;

struct Clear {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Owned = std::unique_ptr<PGresult, Clear>;

bool succeeded(const PGresult* r) {
  auto s = PQresultStatus(r);
  return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

}  // namespace

Result<void> Connection::pipeline(std::span<const Statement* const> statements, const Done& done) {
  if (auto r = ready(); !r) return r;
  std::vector<std::string> names;
  for (const auto* s : statements) {  // prepared outside the pipeline, once per connection
    auto name = prepared(s->sql, s->params);
    if (!name) return name.error();
    names.push_back(*name);
  }
  if (PQenterPipelineMode(conn_) != 1) return fail("entering pipeline mode");
  bool failed = false;
  Result<void> out;
  for (std::size_t at = 0; out && !failed && (at == 0 || at < statements.size()); at += kGroup) {
    auto group = statements.subspan(at, std::min(kGroup, statements.size() - at));
    bool last = at + kGroup >= statements.size();
    out = send_group(group, std::span(names).subspan(at, group.size()), at == 0, last);
    if (out) out = read_group(group, at, at == 0, last, done, failed);
  }
  if (PQexitPipelineMode(conn_) != 1) {  // results left unread: start the session again
    PQreset(conn_);
    prepared_.clear();
    (void)set_search_path();
  }
  if (out && failed) out = make_error(fmt::format("{}: a statement of the batch failed", where_));
  if (!out) (void)exec("ROLLBACK");
  return out;
}

Result<void> Connection::send_group(std::span<const Statement* const> group,
                                    std::span<const std::string> names, bool first, bool last) {
  auto plain = [&](const char* sql) {
    return PQsendQueryParams(conn_, sql, 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
  };
  if (first && !plain("BEGIN")) return fail("BEGIN");
  for (std::size_t i = 0; i < group.size(); ++i) {
    const Params& p = group[i]->params;
    std::vector<const char*> values;
    std::vector<int> lengths, formats(p.values.size(), 1);
    p.wire(values, lengths);
    if (PQsendQueryPrepared(conn_, names[i].c_str(), static_cast<int>(values.size()), values.data(),
                            lengths.data(), formats.data(), 1) != 1)
      return fail(group[i]->sql);
  }
  if (last && !plain("COMMIT")) return fail("COMMIT");
  if (PQpipelineSync(conn_) != 1) return fail("sync");
  return {};
}

// Reads BEGIN's result (first group), each statement's, COMMIT's (last
// group), then the sync. A NULL ends each statement's results.
Result<void> Connection::read_group(std::span<const Statement* const> group,
                                    std::size_t first_index, bool first, bool last,
                                    const Done& done, bool& failed) {
  auto next = [&]() -> Owned {
    PGresult* r = PQgetResult(conn_);
    return Owned(r ? r : PQgetResult(conn_));
  };
  Result<void> out;
  auto expect_ok = [&](const char* what) {
    Owned r = next();
    if (!r)
      out = fail(what);
    else if (!succeeded(r.get()) && out)
      out = fail(what, r.get());
  };
  if (first) expect_ok("BEGIN");
  for (std::size_t i = 0; i < group.size(); ++i) {
    Owned r = next();
    if (!r) return fail("reading a pipeline");
    if (succeeded(r.get())) {
      done(first_index + i, Rows(r.release()));
    } else if (PQresultStatus(r.get()) == PGRES_PIPELINE_ABORTED) {
      done(first_index + i, make_error(where_ + ": not run: an earlier statement failed"));
    } else {
      failed = true;
      done(first_index + i, fail(group[i]->sql, r.get()));
    }
  }
  if (last && !failed) expect_ok("COMMIT");
  if (last && failed) next();  // COMMIT, not run
  for (Owned r = next(); r && PQresultStatus(r.get()) != PGRES_PIPELINE_SYNC; r = next()) {
  }
  return out;
}

}  // namespace appliance::store::postgres
