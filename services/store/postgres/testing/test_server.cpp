// NAME
//   test_server.cpp - initdb, postgres as an unprivileged child, readiness,
//   shutdown.
#include "store/postgres/testing/test_server.h"

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>
#include <vector>

#include <fmt/format.h>

namespace appliance::store::postgres::testing {
namespace {

struct User {
  uid_t uid = 0;
  gid_t gid = 0;
  bool change = false;  // running as root: drop to uid/gid
};

Result<User> lookup(const std::string& name) {
  if (::geteuid() != 0) return User{::geteuid(), ::getegid(), false};
  passwd* pw = ::getpwnam(name.c_str());
  if (!pw) return make_error(fmt::format("no user {} to run PostgreSQL as", name));
  return User{pw->pw_uid, pw->pw_gid, true};
}

// Forks and execs argv as `user`, output appended to `log`. Only
// async-signal-safe calls between fork and exec.
Result<pid_t> spawn(const std::vector<std::string>& args, const std::filesystem::path& log,
                    const User& user) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::string log_path = log.string();
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) return make_error("fork failed");
  if (pid > 0) return pid;
  int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (fd >= 0) ::dup2(fd, 1), ::dup2(fd, 2);
  if (user.change &&
      (::setgroups(0, nullptr) != 0 || ::setgid(user.gid) != 0 || ::setuid(user.uid) != 0))
    ::_exit(126);
  ::prctl(PR_SET_PDEATHSIG, SIGQUIT);  // after setuid, which clears it
  if (::getppid() != parent) ::_exit(125);
  ::execv(argv[0], argv.data());
  ::_exit(127);
}

// The fields of /proc/<pid>/stat after the command name: [0] is field 3
// (the state), [1] the parent; empty when there is no such process.
std::vector<std::string> stat_fields(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  auto at = stat.rfind(')');
  std::vector<std::string> out;
  if (at == std::string::npos) return out;
  std::istringstream fields(stat.substr(at + 2));
  for (std::string f; fields >> f;) out.push_back(f);
  return out;
}

char state_of(pid_t pid) {
  auto f = stat_fields(std::to_string(pid));
  return f.empty() ? 0 : f[0][0];
}

std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> out;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    auto f = stat_fields(name);
    if (f.size() > 1 && f[1] == std::to_string(parent))
      out.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return out;
}

// utime + stime (fields 14, 15), with cutime + cstime (16, 17: children
// already waited for) when `reaped`.
double cpu_of(pid_t pid, bool reaped) {
  auto f = stat_fields(std::to_string(pid));
  if (f.size() < 15) return 0;
  double ticks = std::stod(f[11]) + std::stod(f[12]);
  if (reaped) ticks += std::stod(f[13]) + std::stod(f[14]);
  return ticks / double(::sysconf(_SC_CLK_TCK));
}

std::string tail(const std::filesystem::path& log) {
  std::ifstream in(log);
  std::string all((std::istreambuf_iterator<char>(in)), {});
  return all.size() > 2000 ? all.substr(all.size() - 2000) : all;
}

}  // namespace

Result<std::unique_ptr<TestServer>> TestServer::start(const Options& options) {
  std::unique_ptr<TestServer> s(new TestServer(options));
  char tmpl[] = "/var/tmp/store-pg-XXXXXX";
  if (!::mkdtemp(tmpl)) return make_error("cannot make a directory under /var/tmp");
  s->dir_ = tmpl;
  s->data_ = s->dir_ / "data";
  if (auto r = s->init(); !r) return r.error();
  if (auto r = s->run_postgres(); !r) return r.error();
  if (auto r = s->wait_ready(); !r) return r.error();
  return s;
}

Result<void> TestServer::init() {
  auto user = lookup(options_.user);
  if (!user) return user.error();
  if (user->change && ::chown(dir_.c_str(), user->uid, user->gid) != 0)
    return make_error(fmt::format("cannot give {} to {}", dir_.string(), options_.user));
  auto pid =
      spawn({options_.bindir + "/initdb", "-D", data_.string(), "-U", "postgres", "--auth=trust",
             "-E", "UTF8", "--locale=C", "--data-checksums", "--no-sync", "--no-instructions"},
            dir_ / "initdb.log", *user);
  if (!pid) return pid.error();
  int status = 0;
  ::waitpid(*pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return make_error("initdb failed: " + tail(dir_ / "initdb.log"));
  return {};
}

Result<void> TestServer::run_postgres() {
  auto user = lookup(options_.user);
  if (!user) return user.error();
  auto pid = spawn({options_.bindir + "/postgres", "-D", data_.string(), "-k", dir_.string(), "-c",
                    "listen_addresses=", "-c", "port=5432", "-c",
                    std::string("fsync=") + (options_.fsync ? "on" : "off"), "-c",
                    "max_connections=200", "-c", "shared_buffers=64MB"},
                   dir_ / "postgres.log", *user);
  if (!pid) return pid.error();
  pid_ = *pid;
  return {};
}

// Waits while the server is starting; fails at once if it exits.
Result<void> TestServer::wait_ready() {
  std::string info = conninfo();
  for (int i = 0; i < 2400; ++i) {
    if (PQping(info.c_str()) == PQPING_OK) return {};
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return make_error("postgres exited: " + tail(dir_ / "postgres.log"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return make_error("postgres did not start: " + tail(dir_ / "postgres.log"));
}

void TestServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGINT);  // fast shutdown
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

Result<void> TestServer::restart(const std::function<void()>& while_stopped) {
  stop();
  while_stopped();
  if (auto r = run_postgres(); !r) return r;
  return wait_ready();
}

// Stopped first, so that it forks nothing while its processes are listed;
// then every one of them killed, none given time to write anything.
void TestServer::crash() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGSTOP);
  std::vector<pid_t> children = children_of(pid_);
  ::kill(pid_, SIGKILL);
  for (pid_t c : children) ::kill(c, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
  // A new postmaster refuses to start while one of them still holds the
  // old shared memory: wait until each is gone or a zombie.
  for (pid_t c : children)
    for (char s = state_of(c); s != 0 && s != 'Z'; s = state_of(c))
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

double TestServer::cpu_seconds() const {
  if (pid_ <= 0) return 0;
  double sum = cpu_of(pid_, true);
  for (pid_t c : children_of(pid_)) sum += cpu_of(c, false);
  return sum;
}

Result<void> TestServer::start_again() {
  if (auto r = run_postgres(); !r) return r;
  return wait_ready();
}

TestServer::~TestServer() {
  stop();
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

std::string TestServer::conninfo(std::string_view database) const {
  return fmt::format("host={} port=5432 user=postgres dbname={}", dir_.string(), database);
}

Result<void> TestServer::sql(std::string_view database, std::string_view statements) {
  PGconn* c = PQconnectdb(conninfo(database).c_str());
  Result<void> out;
  if (PQstatus(c) != CONNECTION_OK) {
    out = make_error(PQerrorMessage(c));
  } else {
    PGresult* r = PQexec(c, std::string(statements).c_str());
    auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
      out = make_error(fmt::format("{}: {}", statements, PQresultErrorMessage(r)));
    PQclear(r);
  }
  PQfinish(c);
  return out;
}

Result<std::string> TestServer::create_database() {
  std::string name = fmt::format("store_{}", ++databases_);
  if (auto r = sql("postgres", fmt::format("CREATE DATABASE {}", name)); !r) return r.error();
  return name;
}

Result<void> TestServer::drop_database(std::string_view name) {
  return sql("postgres", fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", name));
}

}  // namespace appliance::store::postgres::testing
