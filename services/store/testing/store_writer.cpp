// NAME
//   store_writer - write messages and print each acknowledged one; verify later.
//
// SYNOPSIS
//   store_writer write   --dir D [--postgres CONNINFO] [--keyd SOCK [--family F]]
//                        [--threads N] [--count N] [--large-every K] [--marker S]
//   store_writer verify  --dir D [--postgres CONNINFO] [--keyd SOCK] [--marker S]
//                        < lines "ack ID SEED SIZE"
//   store_writer destroy --dir D [--postgres CONNINFO] [--keyd SOCK]
//
// DESCRIPTION
//   For the crash test and the keyd end-to-end test. `write` opens the store
//   under D, or with --postgres the database that libpq conninfo names (large
//   blobs spooled under D): tenant "test", account writer@example.test,
//   mailbox INBOX, made when absent. It runs N threads appending messages
//   (every K-th one large, streamed), and prints "ack ID SEED SIZE" only
//   after append() returned: each printed line is a durable message.
//   --count 0 writes until killed.
//   `verify` reads ack lines, checks every message's content by digest, runs
//   the full integrity check, and exits 0 only when all is well.
//   `destroy` destroys the account (crypto-shredding).
//   Without --keyd, data keys are wrapped by a local test key kept in D.
#include <CLI/CLI.hpp>

#include <atomic>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "keyd/client.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/testing/workload.h"

using namespace appliance;
using namespace appliance::store;

namespace {

struct Args {
  std::string dir, postgres, keyd, marker, family = "wrap/mail";
  int threads = 4, count = 100, large_every = 0;
};

struct Opened {
  std::unique_ptr<Store> store;
  std::shared_ptr<TenantStore> tenant;
  Account account;
  Mailbox inbox;
};

Result<Opened> open_all(DataKeySource& keys, const Args& a) {
  Opened o;
  auto s = a.postgres.empty()
               ? sqlite::open_store({a.dir, &keys})
               : postgres::open_store({a.postgres, &keys, std::filesystem::path(a.dir) / "spool"});
  if (!s) return s.error();
  o.store = std::move(*s);
  auto ts = o.store->tenants();
  if (!ts) return ts.error();
  Id tid = ts->empty() ? 0 : ts->front().id;
  if (!tid) {
    auto t = o.store->create_tenant("test");
    if (!t) return t.error();
    tid = t->id;
  }
  auto t = o.store->tenant(tid);
  if (!t) return t.error();
  o.tenant = *t;
  auto acc = o.tenant->find_account("writer@example.test");
  if (!acc) acc = o.tenant->create_account("writer@example.test");
  if (!acc) return acc.error();
  o.account = *acc;
  auto boxes = o.tenant->mailboxes(acc->id);
  if (!boxes) return boxes.error();
  if (boxes->empty()) {
    auto mb = o.tenant->create_mailbox(acc->id, "INBOX");
    if (!mb) return mb.error();
    boxes->push_back(*mb);
  }
  o.inbox = boxes->front();
  return o;
}

Result<Message> put(Opened& o, const std::string& seed, std::size_t size,
                    const std::string& marker) {
  auto w = o.tenant->new_blob(o.account.id);
  if (!w) return w.error();
  Result<void> wr;
  testing::generate(seed, size, marker, [&](std::string_view p) {
    if (wr) wr = (*w)->write(p);
  });
  if (!wr) return wr.error();
  return o.tenant->append(std::move(*w), {o.account.id, o.inbox.id, 1700000000, 0,
                                          "Subject: test " + seed + " " + marker});
}

int write(Opened& o, const Args& a) {
  std::mutex out;
  std::atomic<int> failures{0};
  std::vector<std::thread> pool;
  std::string run = std::to_string(::getpid());
  for (int t = 0; t < a.threads; ++t)
    pool.emplace_back([&, t] {
      for (int i = 0; a.count == 0 || i < a.count; ++i) {
        std::string seed = "p" + run + "-t" + std::to_string(t) + "-" + std::to_string(i);
        bool large = a.large_every > 0 && i % a.large_every == a.large_every - 1;
        std::size_t size = testing::body_size(seed, large);
        auto m = put(o, seed, size, a.marker);
        std::lock_guard lock(out);
        if (!m) {
          std::cerr << "error: " << m.message() << "\n";
          if (++failures > 10) return;
          continue;
        }
        std::cout << "ack " << m->id << " " << seed << " " << size << std::endl;
      }
    });
  for (auto& th : pool) th.join();
  return failures ? 1 : 0;
}

int verify(Opened& o, const Args& a) {
  std::string word, seed;
  Id id = 0;
  std::size_t size = 0, verified = 0, bad = 0;
  while (std::cin >> word >> id >> seed >> size) {
    testing::Digest d;
    auto r = o.tenant->read(o.account.id, id, [&](std::string_view p) -> Result<void> {
      d.update(p);
      return {};
    });
    if (!r || d.hex() != testing::digest(seed, size, a.marker)) {
      std::cerr << "message " << id << " (" << seed
                << "): " << (r ? "content differs" : r.message()) << "\n";
      ++bad;
      continue;
    }
    ++verified;
  }
  auto report = o.tenant->check(true);
  if (!report) return std::cerr << report.message() << "\n", 1;
  for (const auto& e : report->errors) std::cerr << "check: " << e << "\n";
  std::cout << "verified " << verified << " bad " << bad << " messages " << report->messages
            << " blobs " << report->blobs << " orphaned " << report->orphaned_blobs << "\n";
  return bad == 0 && report->ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"store_writer"};
  Args a;
  app.require_subcommand(1);
  for (auto* sub :
       {app.add_subcommand("write"), app.add_subcommand("verify"), app.add_subcommand("destroy")}) {
    sub->add_option("--dir", a.dir)->required();
    sub->add_option("--postgres", a.postgres, "libpq conninfo of the store's database");
    sub->add_option("--keyd", a.keyd);
    sub->add_option("--family", a.family, "keyd key family for data keys");
    sub->add_option("--marker", a.marker);
    sub->add_option("--threads", a.threads);
    sub->add_option("--count", a.count);
    sub->add_option("--large-every", a.large_every);
  }
  CLI11_PARSE(app, argc, argv);
  std::optional<keyd::KeydClient> client;
  std::unique_ptr<DataKeySource> keys;
  if (!a.keyd.empty()) {
    client.emplace(a.keyd);
    keys = std::make_unique<KeydDataKeySource>(*client, a.family);
  } else {
    keys = std::make_unique<LocalDataKeySource>(testing::local_keys(a.dir));
  }
  auto o = open_all(*keys, a);
  if (!o) return std::cerr << o.message() << "\n", 1;
  std::string cmd = app.get_subcommands().front()->get_name();
  if (cmd == "write") return write(*o, a);
  if (cmd == "verify") return verify(*o, a);
  auto r = o->tenant->destroy_account(o->account.id);
  if (!r) return std::cerr << r.message() << "\n", 1;
  std::cout << "destroyed " << o->account.address << "\n";
  return 0;
}
