// NAME
//   store_bench - durable message inserts per second, group commit against one
//   commit per message, on SQLite and on PostgreSQL.
//
// SYNOPSIS
//   store_bench [--backend sqlite|postgres|both] [--dir D] [--writers 32]
//               [--seconds 5] [--size 4096]
//
// DESCRIPTION
//   Runs the same workload twice per backend on fresh stores: WRITERS
//   threads, each appending SIZE-byte messages (different content each, so no
//   blob is shared) to its own account's INBOX for SECONDS. First with one
//   transaction and one commit per message, then with group commit. Every
//   append is durable when it returns in both modes (SQLite: WAL synced;
//   PostgreSQL: synchronous_commit on a server started under D with fsync on).
//   Prints both rates and "<backend>: ratio <x>" per backend, and last
//   "group-commit: ratio <x> (goal 10)", x the lowest of the backends' ratios.
//   With each rate, the CPU time per message (user and system, all threads)
//   of this process and, for PostgreSQL, of the server's processes: two
//   cores give at most 2 s / (that sum) messages per second, whatever the
//   disk.
//   First it times a synced 4 KiB append in D (the median of 200), which is
//   what one commit per message waits for; and with each backend's ratio,
//   the most that group commit could reach with every core busy at its run's
//   CPU per message: the ratio follows the disk's sync time and that bound.
//   Run by bench/group-commit.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <thread>
#include <vector>

#include "store/postgres/postgres_store.h"
#include "store/postgres/tenant.h"
#include "store/postgres/testing/test_server.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/tenant.h"
#include "store/testing/workload.h"

using namespace appliance;
using namespace appliance::store;

namespace {

struct Run {
  double rate = 0;
  std::uint64_t messages = 0, batches = 0;
  double cpu = 0, server_cpu = 0;  // seconds
};

// Where one mode of one backend runs: a fresh store, its commit counter, and
// the CPU seconds its server has used so far (none for SQLite).
struct Target {
  std::function<Result<std::unique_ptr<Store>>(DataKeySource&, bool group)> open;
  std::function<const GroupCommit&(TenantStore&)> committer;
  std::function<double()> server_cpu;  // empty: no server
};

double own_cpu() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// The median time of a 4 KiB write appended to a file in dir and synced, in
// seconds; 0 if the file cannot be written.
double synced_write(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  auto path = dir / "sync-probe";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return 0;
  std::string page(4096, 'x');
  std::vector<double> times;
  for (int i = 0; i < 200; ++i) {
    auto start = std::chrono::steady_clock::now();
    if (::write(fd, page.data(), page.size()) != ssize_t(page.size()) || ::fdatasync(fd) != 0)
      break;
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  ::close(fd);
  std::filesystem::remove(path);
  if (times.empty()) return 0;
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
}

Target sqlite_target(const std::filesystem::path& dir) {
  return {[dir](DataKeySource& keys, bool group) {
            auto at = dir / (group ? "group" : "single");
            std::filesystem::remove_all(at);
            return sqlite::open_store({at, &keys, group});
          },
          [](TenantStore& t) -> const GroupCommit& {
            return dynamic_cast<sqlite::SqliteTenant&>(t).committer();
          }};
}

Target postgres_target(postgres::testing::TestServer& server, const std::filesystem::path& dir) {
  return {[&server, dir](DataKeySource& keys, bool group) -> Result<std::unique_ptr<Store>> {
            auto db = server.create_database();
            if (!db) return db.error();
            return postgres::open_store({server.conninfo(*db), &keys, dir / "spool", group});
          },
          [](TenantStore& t) -> const GroupCommit& {
            return dynamic_cast<postgres::PgTenant&>(t).committer();
          },
          [&server] { return server.cpu_seconds(); }};
}

Result<Run> run(const Target& target, bool group, int writers, double seconds, std::size_t size) {
  LocalDataKeySource keys(Secret(crypto::random_bytes(32).value()));
  auto store = target.open(keys, group);
  if (!store) return store.error();
  auto t = (*store)->create_tenant("bench");
  if (!t) return t.error();
  auto tenant = (*store)->tenant(t->id).value();
  std::vector<std::pair<Id, Id>> boxes;
  for (int i = 0; i < writers; ++i) {
    auto a = tenant->create_account("user" + std::to_string(i) + "@bench.test");
    if (!a) return a.error();
    auto mb = tenant->create_mailbox(a->id, "INBOX");
    if (!mb) return mb.error();
    boxes.emplace_back(a->id, mb->id);
  }
  const auto& committer = target.committer(*tenant);
  std::uint64_t batches0 = committer.batches();
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> done{0}, failed{0};
  std::vector<std::thread> pool;
  auto server_now = [&] { return target.server_cpu ? target.server_cpu() : 0.0; };
  const double cpu0 = own_cpu(), server0 = server_now();
  auto start = std::chrono::steady_clock::now();
  for (int w = 0; w < writers; ++w)
    pool.emplace_back([&, w] {
      for (int i = 0; !stop; ++i) {
        std::string seed = std::to_string(w) + "-" + std::to_string(i);
        auto blob = tenant->new_blob(boxes[w].first);
        bool ok = blob.ok();
        if (ok)
          testing::generate(seed, size, "",
                            [&](std::string_view p) { ok = ok && (*blob)->write(p).ok(); });
        if (ok)
          ok = tenant->append(std::move(*blob), {boxes[w].first, boxes[w].second, 0, 0, ""}).ok();
        ++(ok ? done : failed);
      }
    });
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& th : pool) th.join();
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (failed) return make_error(std::to_string(failed) + " appends failed");
  return Run{done / elapsed, done.load(), committer.batches() - batches0, own_cpu() - cpu0,
             server_now() - server0};
}

// Both modes on one backend; returns group commit's rate over one commit per message's.
Result<double> compare(const char* backend, const Target& target, int writers, double seconds,
                       std::size_t size) {
  Run results[2];
  const char* names[] = {"one commit per message", "group commit"};
  for (int mode = 0; mode < 2; ++mode) {
    auto r = run(target, mode == 1, writers, seconds, size);
    if (!r) return make_error(fmt::format("{}, {}: {}", backend, names[mode], r.message()));
    results[mode] = *r;
    double n = r->messages ? double(r->messages) : 1.0;
    std::printf(
        "%s, %s: %.0f messages/s (%llu messages of %zu bytes, %d writers, %llu commits, %.1f per "
        "commit; CPU per message %.0f us%s)\n",
        backend, names[mode], r->rate, static_cast<unsigned long long>(r->messages), size, writers,
        static_cast<unsigned long long>(r->batches),
        r->batches ? double(r->messages) / double(r->batches) : 0.0, r->cpu / n * 1e6,
        target.server_cpu ? fmt::format(" + server {:.0f} us", r->server_cpu / n * 1e6).c_str()
                          : "");
  }
  double ratio = results[1].rate / results[0].rate;
  // Every core busy at the group run's CPU per message, against the same baseline.
  double group_cpu = (results[1].cpu + results[1].server_cpu) /
                     double(std::max<std::uint64_t>(1, results[1].messages));
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::printf(
      "%s: with %u cores busy at %.0f us per message, group commit could reach at most "
      "%.0f messages/s, ratio %.1f\n",
      backend, cores, group_cpu * 1e6, cores / group_cpu, cores / group_cpu / results[0].rate);
  std::printf("%s: ratio %.1f\n", backend, ratio);
  std::fflush(stdout);
  return ratio;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"store_bench"};
  std::string backend = "both", dir = "/var/tmp/store-bench";
  int writers = 32;
  double seconds = 5;
  std::size_t size = 4096;
  app.add_option("--backend", backend)->check(CLI::IsMember({"sqlite", "postgres", "both"}));
  app.add_option("--dir", dir);
  app.add_option("--writers", writers);
  app.add_option("--seconds", seconds);
  app.add_option("--size", size);
  CLI11_PARSE(app, argc, argv);
  double lowest = 0;
  std::printf("a synced 4 KiB append under %s: %.2f ms (median of 200)\n", dir.c_str(),
              synced_write(dir) * 1e3);
  if (backend != "postgres") {
    auto r = compare("sqlite", sqlite_target(dir), writers, seconds, size);
    if (!r) return std::cerr << r.message() << "\n", 1;
    lowest = *r;
  }
  if (backend != "sqlite") {
    auto server = postgres::testing::TestServer::start();
    if (!server) return std::cerr << "postgres: " << server.message() << "\n", 1;
    auto r = compare("postgres", postgres_target(**server, dir), writers, seconds, size);
    if (!r) return std::cerr << r.message() << "\n", 1;
    lowest = backend == "both" ? std::min(lowest, *r) : *r;
  }
  std::filesystem::remove_all(dir);
  std::printf("group-commit: ratio %.1f (goal 10)\n", lowest);
  return 0;
}
