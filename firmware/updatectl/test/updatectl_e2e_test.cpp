// NAME
//   updatectl_e2e_test.cpp - the real updatectl binary against repositories
//   served from file:// and from a loopback HTTP server (python3 -m
//   http.server on 127.0.0.1, port 0) that the test starts and stops.
//
// DESCRIPTION
//   The binary's path comes from the UPDATECTL environment variable, set by
//   ctest.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <regex>

#include "tuf/testing/repository_simulator.h"

extern char** environ;

namespace appliance::tuf::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void spit(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

// Runs argv[0] with stdout and stderr captured through files in `scratch`.
Outcome run(const std::vector<std::string>& args, const fs::path& scratch) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string out = (scratch / "stdout").string(), err = (scratch / "stderr").string();
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  Outcome o;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0) {
    int status = 0;
    waitpid(pid, &status, 0);
    o.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  o.out = slurp(out);
  o.err = slurp(err);
  return o;
}

// python3 -m http.server bound to 127.0.0.1 on a port the kernel picks.
class LoopbackHttpServer {
 public:
  explicit LoopbackHttpServer(const fs::path& root) {
    int fds[2];
    if (pipe(fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::string dir = root.string();
    std::vector<const char*> argv{"python3", "-u",        "-m",          "http.server", "0",
                                  "--bind",  "127.0.0.1", "--directory", dir.c_str(),   nullptr};
    posix_spawnp(&pid_, "python3", &actions, nullptr, const_cast<char**>(argv.data()), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    port_ = read_port(fds[0]);
    close(fds[0]);
  }
  ~LoopbackHttpServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }

 private:
  // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
  static int read_port(int fd) {
    std::string line;
    char c;
    while (line.size() < 512 && read(fd, &c, 1) == 1 && c != '\n') line.push_back(c);
    std::smatch m;
    if (std::regex_search(line, m, std::regex("port ([0-9]+)"))) return std::stoi(m[1]);
    return 0;
  }
  pid_t pid_ = -1;
  int port_ = 0;
};

class UpdatectlE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("UPDATECTL");
    ASSERT_NE(bin, nullptr) << "set UPDATECTL to the updatectl binary";
    updatectl = bin;
    std::string pattern = (fs::temp_directory_path() / "updatectl-e2e-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    base = pattern;
    SimulatorOptions options;
    options.now = static_cast<std::int64_t>(std::time(nullptr));
    options.consistent_snapshot = true;
    auto sim = RepositorySimulator::create(options);
    ASSERT_TRUE(sim.ok()) << sim.message();
    repo = std::move(*sim);
    ASSERT_TRUE(
        repo->add_delegation("targets", {.name = "stable", .paths = {"appliance-*.img"}}).ok());
    repo->add_target("stable", "appliance-2.img", "stable image 2", {{"security_version", 4}});
    repo->add_target("targets", "notes.txt", "release notes");
    ASSERT_TRUE(repo->publish().ok());
    publish_to_disk();
  }
  void TearDown() override { fs::remove_all(base); }

  void publish_to_disk() { ASSERT_TRUE(repo->write_to((base / "repo").string()).ok()); }

  Outcome updatectl_run(std::vector<std::string> args) {
    args.insert(args.begin(), {updatectl, "--metadata-dir", (base / "meta").string()});
    return run(args, base);
  }
  Outcome init() { return updatectl_run({"init", (base / "repo/metadata/1.root.json").string()}); }
  Outcome refresh(const std::string& url) {
    return updatectl_run({"--metadata-url", url, "refresh"});
  }
  Outcome download(const std::string& url, const std::string& targets, const std::string& name,
                   const std::string& channel = "") {
    std::vector<std::string> args{"--metadata-url",    url,
                                  "--target-base-url", targets,
                                  "--target-dir",      (base / "out").string(),
                                  "--target-name",     name};
    if (!channel.empty()) args.insert(args.end(), {"--channel", channel});
    args.push_back("download");
    return updatectl_run(args);
  }
  std::string file_url(const std::string& sub) {
    return "file://" + (base / "repo" / sub).string() + "/";
  }

  std::string updatectl;
  fs::path base;
  std::unique_ptr<RepositorySimulator> repo;
};

TEST_F(UpdatectlE2e, InitRefreshDownloadOverFileUrls) {
  Outcome o = init();
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("trusted root version 1 installed"));
  EXPECT_TRUE(fs::exists(base / "meta/root.json"));

  o = init();
  EXPECT_EQ(o.status, 1);
  EXPECT_THAT(o.err, HasSubstr("already holds a trusted root"));

  o = refresh(file_url("metadata"));
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_THAT(o.out,
              HasSubstr("metadata up to date: root v1, timestamp v2, snapshot v2, targets v2"));
  for (const char* f : {"timestamp.json", "snapshot.json", "targets.json"}) {
    EXPECT_TRUE(fs::exists(base / "meta" / f)) << f;
  }

  o = download(file_url("metadata"), file_url("targets"), "notes.txt");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(slurp(base / "out/notes.txt"), "release notes");

  o = download(file_url("metadata"), file_url("targets"), "appliance-2.img", "stable");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("listed by stable"));
  EXPECT_EQ(slurp(base / "out/appliance-2.img"), "stable image 2");
  EXPECT_TRUE(fs::exists(base / "meta/stable.json"));
}

TEST_F(UpdatectlE2e, RefusesAttacksOverFileUrls) {
  ASSERT_EQ(init().status, 0);
  ASSERT_EQ(refresh(file_url("metadata")).status, 0);

  // A tampered image: same length, other bytes, under its consistent name.
  repo->replace_target_content("notes.txt", "release NOTES");
  publish_to_disk();
  Outcome o = download(file_url("metadata"), file_url("targets"), "notes.txt");
  EXPECT_EQ(o.status, 1);
  EXPECT_THAT(o.err, HasSubstr("wrong target: sha256 mismatch for notes.txt"));
  EXPECT_FALSE(fs::exists(base / "out/notes.txt"));

  // A mirror replays an older timestamp.
  std::string old_timestamp = repo->metadata["timestamp.json"];
  ASSERT_TRUE(repo->publish().ok());
  publish_to_disk();
  ASSERT_EQ(refresh(file_url("metadata")).status, 0);
  spit(base / "repo/metadata/timestamp.json", old_timestamp);
  o = refresh(file_url("metadata"));
  EXPECT_EQ(o.status, 1);
  EXPECT_THAT(o.err, HasSubstr("rollback attack: timestamp version 2 < trusted 3"));

  // A forged root.
  spit(base / "repo/metadata/2.root.json", repo->metadata["timestamp.json"]);
  o = refresh(file_url("metadata"));
  EXPECT_EQ(o.status, 1);
  EXPECT_THAT(o.err, HasSubstr("malformed root metadata"));
}

TEST_F(UpdatectlE2e, WorksOverLoopbackHttp) {
  LoopbackHttpServer server(base / "repo");
  ASSERT_GT(server.port(), 0) << "python3 -m http.server did not start";
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port());
  ASSERT_EQ(init().status, 0);

  Outcome o = refresh(url + "/metadata/");
  ASSERT_EQ(o.status, 0) << o.err;
  o = download(url + "/metadata", url + "/targets", "appliance-2.img", "stable");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(slurp(base / "out/appliance-2.img"), "stable image 2");

  // Root rotation over HTTP: 2.root.json appears, 3.root.json is a 404.
  ASSERT_TRUE(repo->publish_root().ok());
  ASSERT_TRUE(repo->publish().ok());
  publish_to_disk();
  o = refresh(url + "/metadata/");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("root v2"));

  spit(base / "repo/metadata/timestamp.json", std::string(20000, ' '));
  o = refresh(url + "/metadata/");
  EXPECT_EQ(o.status, 1);
  EXPECT_THAT(o.err, HasSubstr("endless data attack: timestamp exceeds 16384 bytes"));

  o = download(url + "/metadata", url + "/targets", "missing.img");
  EXPECT_EQ(o.status, 1);
}

TEST_F(UpdatectlE2e, UsageErrorsExitWithOne) {
  Outcome o = run({updatectl, "refresh"}, base);
  EXPECT_EQ(o.status, 1);
  EXPECT_THAT(o.err, HasSubstr("--metadata-dir is required"));
  o = updatectl_run({"refresh"});
  EXPECT_EQ(o.status, 1);
  EXPECT_THAT(o.err, HasSubstr("refresh needs --metadata-url"));
  o = updatectl_run({"--bogus", "refresh"});
  EXPECT_EQ(o.status, 1);
  o = updatectl_run({"--metadata-url", file_url("metadata"), "refresh"});
  EXPECT_EQ(o.status, 1);
  EXPECT_THAT(o.err, HasSubstr("no trusted root.json"));
  o = run({updatectl, "--help"}, base);
  EXPECT_EQ(o.status, 0);
  EXPECT_THAT(o.out, HasSubstr("download"));
}

}  // namespace
}  // namespace appliance::tuf::testing
