// NAME
//   store_bench - durable message inserts per second, group commit against one
//   sync per message.
//
// SYNOPSIS
//   store_bench [--dir D] [--writers 32] [--seconds 5] [--size 4096]
//
// DESCRIPTION
//   Runs the same workload twice on fresh SQLite stores under D: WRITERS
//   threads, each appending SIZE-byte messages (different content each, so no
//   blob is shared) to its own account's INBOX for SECONDS. First with one
//   transaction and one sync per message, then with group commit. Every
//   append is durable when it returns in both modes. Prints both rates, and
//   last "group-commit: ratio <x> (goal 10)". Run by bench/group-commit.
#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/tenant.h"
#include "store/testing/workload.h"

using namespace appliance;
using namespace appliance::store;

namespace {

struct Run {
  double rate = 0;
  std::uint64_t messages = 0, batches = 0;
};

Result<Run> run(const std::filesystem::path& dir, bool group, int writers, double seconds,
                std::size_t size) {
  std::filesystem::remove_all(dir);
  LocalDataKeySource keys(Secret(crypto::random_bytes(32).value()));
  auto store = sqlite::open_store({dir, &keys, group});
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
  const auto& committer = dynamic_cast<sqlite::SqliteTenant&>(*tenant).committer();
  std::uint64_t batches0 = committer.batches();
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> done{0}, failed{0};
  std::vector<std::thread> pool;
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
  return Run{done / elapsed, done.load(), committer.batches() - batches0};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"store_bench"};
  std::string dir = "/var/tmp/store-bench";
  int writers = 32;
  double seconds = 5;
  std::size_t size = 4096;
  app.add_option("--dir", dir);
  app.add_option("--writers", writers);
  app.add_option("--seconds", seconds);
  app.add_option("--size", size);
  CLI11_PARSE(app, argc, argv);
  Run results[2];
  const char* names[] = {"one sync per message", "group commit"};
  for (int mode = 0; mode < 2; ++mode) {
    auto r = run(std::filesystem::path(dir) / (mode ? "group" : "single"), mode == 1, writers,
                 seconds, size);
    if (!r) return std::cerr << names[mode] << ": " << r.message() << "\n", 1;
    results[mode] = *r;
    std::printf(
        "%s: %.0f messages/s (%llu messages of %zu bytes, %d writers, %llu commits, %.1f per "
        "commit)\n",
        names[mode], r->rate, static_cast<unsigned long long>(r->messages), size, writers,
        static_cast<unsigned long long>(r->batches),
        r->batches ? double(r->messages) / double(r->batches) : 0.0);
  }
  std::filesystem::remove_all(dir);
  std::printf("group-commit: ratio %.1f (goal 10)\n", results[1].rate / results[0].rate);
  return 0;
}
