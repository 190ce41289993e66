// NAME
//   crash_test - a writer under load is killed with SIGKILL at random points;
//   every message it acknowledged survives intact. On both backends.
//
// DESCRIPTION
//   store_writer (STORE_WRITER) runs 6 threads appending messages, every 7th
//   one large (streamed through a spool file), and prints "ack ID SEED SIZE"
//   after each append returned. The test kills it after a random number of
//   acknowledgements plus a random delay, eight times over the same store.
//   After each kill it opens the store itself: the integrity check passes
//   (orphaned blobs from an interrupted commit are allowed: collected later),
//   and every message acknowledged in any round reads back with its digest.
//
//   On PostgreSQL the writer is the client; in rounds 3 and 6 the server
//   itself is killed first (SIGKILL to every process of it, under load),
//   then the writer, and the server is started again: what it acknowledged
//   must survive PostgreSQL's crash recovery too.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <random>
#include <sstream>
#include <thread>

#include "store/store_suite.h"

extern char** environ;

namespace appliance::store {
namespace {

struct Ack {
  Id id;
  std::string seed;
  std::size_t size;
};

class CrashTest : public testing::StoreSuite {
 protected:
  // Starts the writer; once `acks` lines arrived and `delay` passed, runs
  // `before_kill` (the server's crash) and kills the writer.
  std::vector<Ack> run_and_kill(int acks, std::chrono::microseconds delay,
                                const std::function<void()>& before_kill, int& status) {
    int out[2];
    EXPECT_EQ(::pipe(out), 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    std::string writer = std::getenv("STORE_WRITER");
    std::vector<std::string> args = {writer, "write",   "--dir", root_.string(),  "--threads",
                                     "6",    "--count", "0",     "--large-every", "7"};
    if (std::string c = backend_->conninfo(); !c.empty())
      args.insert(args.end(), {"--postgres", c});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    EXPECT_EQ(posix_spawn(&pid, writer.c_str(), &fa, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    ::close(out[1]);
    FILE* in = ::fdopen(out[0], "r");
    std::vector<Ack> got;
    char line[512];
    while (static_cast<int>(got.size()) < acks && std::fgets(line, sizeof line, in))
      read_ack(line, got);
    std::this_thread::sleep_for(delay);
    before_kill();
    ::kill(pid, SIGKILL);
    while (std::fgets(line, sizeof line, in)) read_ack(line, got);  // acked before the kill
    std::fclose(in);
    ::waitpid(pid, &status, 0);
    return got;
  }
  static void read_ack(const char* line, std::vector<Ack>& got) {
    std::istringstream s(line);
    std::string word;
    Ack a;
    if (s >> word >> a.id >> a.seed >> a.size && word == "ack") got.push_back(a);
  }
};

TEST_P(CrashTest, AcknowledgedWritesSurviveSigkill) {
  ASSERT_NE(std::getenv("STORE_WRITER"), nullptr);
  store_.reset();  // the writer owns the store while it runs
  auto keys = testing::local_keys(root_);
  auto* server = GetParam() == "postgres" ? testing::postgres_server() : nullptr;
  std::mt19937 rng(std::random_device{}());
  std::vector<Ack> all;
  int server_crashes = 0;
  for (int round = 0; round < 8; ++round) {
    int acks = std::uniform_int_distribution(1, 60)(rng);
    auto delay = std::chrono::microseconds(std::uniform_int_distribution(0, 30000)(rng));
    bool crash_server = server && round % 3 == 2;
    int status = 0;
    auto got = run_and_kill(
        acks, delay,
        [&] {
          if (crash_server) server->crash();
        },
        status);
    if (crash_server) {
      auto r = server->start_again();
      ASSERT_TRUE(r.ok()) << "round " << round << ": " << r.message();
      ++server_crashes;
    } else {  // with the server gone, the writer may have given up by itself
      EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
          << "round " << round << ": the writer stopped by itself";
    }
    ASSERT_GE(static_cast<int>(got.size()), acks) << "round " << round;
    all.insert(all.end(), got.begin(), got.end());

    auto store = backend_->open(keys);
    ASSERT_TRUE(store.ok()) << "round " << round << ": " << store.message();
    auto t = (*store)->tenant((*store)->tenants()->front().id).value();
    auto report = t->check(true);
    ASSERT_TRUE(report.ok()) << report.message();
    ASSERT_TRUE(report->ok()) << "round " << round << ": " << report->errors.front();
    Id account = t->find_account("writer@example.test")->id;
    for (const auto& a : all) {
      testing::Digest d;
      auto r = t->read(account, a.id, [&](std::string_view p) -> Result<void> {
        d.update(p);
        return {};
      });
      ASSERT_TRUE(r.ok()) << "round " << round << " message " << a.id << ": " << r.message();
      ASSERT_EQ(d.hex(), testing::digest(a.seed, a.size, "")) << "message " << a.id;
    }
  }
  EXPECT_GT(all.size(), 8u);
  EXPECT_EQ(server_crashes, server ? 2 : 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, CrashTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace appliance::store
