// NAME
//   test_server.h - a throwaway PostgreSQL 15 server for tests and benchmarks.
//
// DESCRIPTION
//   TestServer::start() runs initdb (data checksums on) into a new directory
//   under /var/tmp (a real disk: a sync there costs what it costs), then
//   postgres on it, listening only on a unix socket in that directory; no TCP
//   port, so parallel runs never collide. Running as root, both run as an
//   unprivileged user (PostgreSQL refuses root), `appliance-test` by
//   default. The server gets SIGQUIT if the process that started it dies.
//   The destructor stops the server and removes the directory.
//
//   create_database() makes a fresh database and returns its name, so
//   that each test starts empty without a server of its own; sql() runs
//   statements as the superuser (CHECKPOINT, altering rows behind the
//   store's back). crash() kills the server as a crash would: SIGKILL to the
//   postmaster and every process of it at once, no shutdown; start it again
//   with start_again(), which runs PostgreSQL's crash recovery.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace appliance::store::postgres::testing {

class TestServer {
 public:
  struct Options {
    std::string user = "appliance-test";  // used when running as root
    std::string bindir = "/usr/lib/postgresql/15/bin";
    bool fsync = true;
  };
  static Result<std::unique_ptr<TestServer>> start(const Options& options);
  static Result<std::unique_ptr<TestServer>> start() { return start(Options{}); }
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  std::string conninfo(std::string_view database = "postgres") const;
  Result<std::string> create_database();  // its name
  Result<void> drop_database(std::string_view name);
  Result<void> sql(std::string_view database, std::string_view statements);
  // Stops the server (fast shutdown: every page written), runs while_stopped,
  // starts it again: for tests that change its files.
  Result<void> restart(const std::function<void()>& while_stopped);
  void crash();
  Result<void> start_again();
  const std::filesystem::path& data_dir() const { return data_; }
  // CPU seconds (user and system) used so far by the postmaster, the
  // processes of it that have exited, and those still running.
  double cpu_seconds() const;

 private:
  explicit TestServer(Options options) : options_(std::move(options)) {}
  Result<void> init();
  Result<void> run_postgres();
  Result<void> wait_ready();
  void stop();

  Options options_;
  std::filesystem::path dir_, data_;
  pid_t pid_ = -1;
  int databases_ = 0;
};

}  // namespace appliance::store::postgres::testing
