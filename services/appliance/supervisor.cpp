// NAME
//   supervisor.cpp - children, back-off, notify socket, orderly stop.
#include "appliance/supervisor.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/datagram_protocol.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <list>

#include "appliance/child.h"
#include "appliance/daemons.h"
#include "appliance/endpoints.h"
#include "appliance/jobs.h"
#include "common/admin.h"
#include "common/listen.h"
#include "common/log.h"

namespace appliance {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kStopGrace = 4s;
constexpr auto kWatchdog = 10s;
constexpr auto kBackoffFirst = 500ms;
constexpr auto kBackoffMax = 30s;
constexpr auto kStableRun = 10s;  // a child up this long starts its back-off anew

enum class State { starting, running, backoff, failed, stopped };

const char* state_name(State s) {
  switch (s) {
    case State::starting: return "starting";
    case State::running: return "running";
    case State::backoff: return "restarting";
    case State::failed: return "failed";
    case State::stopped: return "stopped";
  }
  return "?";
}

struct Child {
  Child(boost::asio::io_context& io, const DaemonSpec& s) : spec(s), timer(io), watchdog(io) {}
  const DaemonSpec& spec;
  pid_t pid = 0;
  State state = State::stopped;
  int restarts = 0;
  int failures = 0;
  Clock::time_point started;
  std::string last_exit;
  boost::asio::steady_timer timer;     // back-off
  boost::asio::steady_timer watchdog;  // lapses without WATCHDOG=1
};

class Supervisor {
 public:
  Supervisor(boost::asio::io_context& io, const SupervisorOptions& o)
      : io_(io), options_(o), signals_(io, SIGTERM, SIGINT, SIGCHLD), notify_(io),
        stop_timer_(io), ready_timer_(io), jobs_(io, o.paths, o.libexec) {}

  Result<void> start();
  bool stopping() const { return stopping_; }

 private:
  void wait_signals();
  void reap();
  void on_exit(Child& c, int status);
  void start_child(Child& c);
  void schedule_restart(Child& c);
  void arm_watchdog(Child& c);
  void wait_notify();
  void on_notify(pid_t pid, std::string_view text);
  void begin_stop(int sig);
  void finish_if_stopped();
  void announce_when_ready();
  ipc::Writer status_reply() const;
  std::string health_summary() const;
  Child* find(pid_t pid);

  boost::asio::io_context& io_;
  SupervisorOptions options_;
  boost::asio::signal_set signals_;
  boost::asio::local::datagram_protocol::socket notify_;
  boost::asio::steady_timer stop_timer_;
  boost::asio::steady_timer ready_timer_;
  std::unique_ptr<AdminServer> admin_;
  Listeners listeners_;
  std::list<Child> children_;
  Jobs jobs_;
  bool stopping_ = false;
  bool announced_ = false;
};

Child* Supervisor::find(pid_t pid) {
  for (Child& c : children_)
    if (c.pid == pid && pid != 0) return &c;
  return nullptr;
}

Result<void> Supervisor::start() {
  auto bound = bind_listeners(options_.paths, supervised_daemons(), options_.any_port);
  if (!bound) return bound.error();
  listeners_ = std::move(bound).value();
  if (auto w = write_endpoints(options_.paths, listeners_); !w) return w.error();

  // The notify socket is open to every local user: senders are identified by
  // the kernel-checked SCM_CREDENTIALS pid and must be one of our children.
  std::string notify_path = options_.paths.notify_socket().string();
  ::unlink(notify_path.c_str());
  notify_.open();
  notify_.bind(boost::asio::local::datagram_protocol::endpoint(notify_path));
  ::chmod(notify_path.c_str(), 0666);
  int one = 1;
  setsockopt(notify_.native_handle(), SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
  wait_notify();

  auto admin_fd = bind_unix(options_.paths.supervisor_socket().string(), 0600);
  if (!admin_fd) return admin_fd.error();
  admin_ = std::make_unique<AdminServer>(io_, *admin_fd, [this](const ipc::Message& m,
                                                                const ipc::PeerCred&) {
    if (m.type == ipc::Type::status_request) return status_reply();
    if (m.type == ipc::Type::health_request) {
      bool all = std::all_of(children_.begin(), children_.end(),
                             [](const Child& c) { return c.state == State::running; });
      return health_reply("supervisor", {all, all ? "all daemons running" : "daemons starting"});
    }
    return error_reply("supervisor does not answer this request");
  });
  admin_->start();

  wait_signals();
  for (const DaemonSpec& spec : supervised_daemons()) start_child(children_.emplace_back(io_, spec));
  announce_when_ready();
  return {};
}

void Supervisor::start_child(Child& c) {
  ChildSpec spec;
  spec.binary = (options_.libexec / c.spec.name).string();
  spec.args = {"--config", options_.paths.config().string()};
  spec.notify_socket = options_.paths.notify_socket().string();
  spec.env.push_back(fmt::format("WATCHDOG_USEC={}",
                                 std::chrono::microseconds(kWatchdog).count()));
  for (const auto& l : listeners_.of(c.spec.name)) spec.sockets.emplace_back(l.name, l.fd);
  auto pid = spawn(spec);
  if (!pid) {
    log::error("cannot start daemon", {{"daemon", c.spec.name}, {"error", pid.message()}});
    c.state = State::failed;
    return;
  }
  c.pid = *pid;
  c.state = State::starting;
  c.started = Clock::now();
  log::info("started daemon", {{"daemon", c.spec.name}, {"pid", c.pid}});
  arm_watchdog(c);
}

void Supervisor::arm_watchdog(Child& c) {
  c.watchdog.expires_after(kWatchdog);
  c.watchdog.async_wait([this, &c, pid = c.pid](boost::system::error_code ec) {
    if (ec || c.pid != pid || stopping_) return;
    log::error("watchdog lapsed; killing daemon", {{"daemon", c.spec.name}, {"pid", pid}});
    ::kill(pid, SIGKILL);
  });
}

void Supervisor::wait_signals() {
  signals_.async_wait([this](boost::system::error_code ec, int sig) {
    if (ec) return;
    if (sig == SIGCHLD) reap();
    else begin_stop(sig);
    wait_signals();
  });
}

void Supervisor::reap() {
  int status = 0;
  pid_t pid;
  while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0)
    if (Child* c = find(pid)) on_exit(*c, status);
    else jobs_.reaped(pid, status);
  finish_if_stopped();
}

void Supervisor::on_exit(Child& c, int status) {
  c.pid = 0;
  c.watchdog.cancel();
  c.last_exit = describe_wait_status(status);
  if (stopping_) {
    c.state = State::stopped;
    log::info("daemon stopped", {{"daemon", c.spec.name}, {"status", c.last_exit}});
    return;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 78) {
    c.state = State::failed;
    log::error("daemon rejected its configuration; not restarting",
               {{"daemon", c.spec.name}, {"status", c.last_exit}});
    return;
  }
  log::warning("daemon died", {{"daemon", c.spec.name}, {"status", c.last_exit}});
  schedule_restart(c);
}

void Supervisor::schedule_restart(Child& c) {
  if (Clock::now() - c.started > kStableRun) c.failures = 0;
  auto delay = std::min<Clock::duration>(kBackoffFirst * (1 << std::min(c.failures, 6)), kBackoffMax);
  ++c.failures;
  c.state = State::backoff;
  log::info("restarting daemon",
            {{"daemon", c.spec.name},
             {"in_ms", std::chrono::duration_cast<std::chrono::milliseconds>(delay).count()}});
  c.timer.expires_after(delay);
  c.timer.async_wait([this, &c](boost::system::error_code ec) {
    if (ec || stopping_) return;
    ++c.restarts;
    start_child(c);
  });
}

void Supervisor::wait_notify() {
  notify_.async_wait(boost::asio::socket_base::wait_read, [this](boost::system::error_code ec) {
    if (ec) return;
    char data[4096];
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred))];
    iovec iov{data, sizeof data - 1};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = ::recvmsg(notify_.native_handle(), &msg, MSG_DONTWAIT);
    cmsghdr* cm = CMSG_FIRSTHDR(&msg);
    if (n > 0 && cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_CREDENTIALS) {
      ucred cred{};
      std::memcpy(&cred, CMSG_DATA(cm), sizeof cred);
      on_notify(cred.pid, std::string_view(data, static_cast<std::size_t>(n)));
    }
    wait_notify();
  });
}

void Supervisor::on_notify(pid_t pid, std::string_view text) {
  Child* c = find(pid);
  if (!c) return;  // not ours: ignore
  for (std::size_t pos = 0; pos < text.size();) {
    auto nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (line == "READY=1" && c->state == State::starting) {
      c->state = State::running;
      log::info("daemon ready", {{"daemon", c->spec.name}, {"pid", pid}});
      announce_when_ready();
    } else if (line == "WATCHDOG=1") {
      arm_watchdog(*c);
    }
  }
}

void Supervisor::announce_when_ready() {
  if (announced_) return;
  bool all = std::all_of(children_.begin(), children_.end(),
                         [](const Child& c) { return c.state == State::running; });
  if (!all) {
    ready_timer_.expires_after(30s);
    ready_timer_.async_wait([this](boost::system::error_code ec) {
      if (ec || announced_) return;
      for (const Child& c : children_)
        if (c.state != State::running)
          log::warning("daemon not ready after 30 s", {{"daemon", c.spec.name},
                                                        {"state", state_name(c.state)}});
    });
    return;
  }
  announced_ = true;
  ready_timer_.cancel();
  jobs_.start();
  std::cout << describe_endpoints(options_.paths, listeners_, options_.libexec)
            << health_summary() << "Stop: Ctrl-C\n" << std::flush;
}

// Each daemon's own word on its health, for the banner: a daemon can be up
// (READY=1) and still not ready to serve (keyd without its token).
std::string Supervisor::health_summary() const {
  std::string out = "Daemons:\n";
  for (const Child& c : children_) {
    auto h = query_health(options_.paths.admin_socket(c.spec.name).string(), 2s);
    std::string word = !h ? "no answer: " + h.message()
                          : (h->health.ready ? "ready" : "NOT READY") +
                                (h->health.reason.empty() ? "" : ": " + h->health.reason);
    out += fmt::format("  {:<10} {}\n", c.spec.name, word);
    if (h && !h->health.ready)
      log::warning("daemon up but not ready", {{"daemon", c.spec.name}, {"reason", h->health.reason}});
  }
  return out;
}

void Supervisor::begin_stop(int sig) {
  if (stopping_) return;
  stopping_ = true;
  log::info("stopping all daemons", {{"signal", sigabbrev_np(sig)}});
  jobs_.stop();
  for (Child& c : children_) {
    c.timer.cancel();
    c.watchdog.cancel();
    if (c.pid) ::kill(c.pid, SIGTERM);
    else if (c.state != State::failed) c.state = State::stopped;
  }
  stop_timer_.expires_after(kStopGrace);
  stop_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    for (Child& c : children_)
      if (c.pid) {
        log::warning("daemon ignored SIGTERM; killing", {{"daemon", c.spec.name}});
        ::kill(c.pid, SIGKILL);
      }
  });
  finish_if_stopped();
}

void Supervisor::finish_if_stopped() {
  if (!stopping_) return;
  for (const Child& c : children_)
    if (c.pid) return;
  stop_timer_.cancel();
  ready_timer_.cancel();
  signals_.cancel();
  notify_.close();
  if (admin_) admin_->stop();
  ::unlink(options_.paths.notify_socket().c_str());
  ::unlink(options_.paths.supervisor_socket().c_str());
  io_.stop();
}

ipc::Writer Supervisor::status_reply() const {
  ipc::Writer w(ipc::Type::status_reply);
  w.u32(static_cast<std::uint32_t>(children_.size()));
  for (const Child& c : children_)
    w.str(c.spec.name).u32(static_cast<std::uint32_t>(c.pid)).u32(c.restarts)
        .str(state_name(c.state)).str(c.last_exit);
  return w;
}

}  // namespace

Result<int> take_lock(const Paths& paths) {
  std::error_code ec;
  std::filesystem::create_directories(paths.run_dir(), ec);
  if (ec) return make_error(fmt::format("{}: {}", paths.run_dir().string(), ec.message()));
  std::string path = paths.lock_file().string();
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return make_error(fmt::format("{}: {}", path, std::strerror(errno)));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char buf[32] = {};
    [[maybe_unused]] auto n = ::pread(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    return make_error(fmt::format(
        "{} is already in use by another 'appliance up' (pid {}); stop it first, or use another "
        "state directory", paths.home.string(), std::string(buf).substr(0, std::string(buf).find('\n'))));
  }
  std::string pid = fmt::format("{}\n", getpid());
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0)
    return make_error(fmt::format("{}: {}", path, std::strerror(errno)));
  return fd;
}

int run_supervisor(const SupervisorOptions& options) {
  boost::asio::io_context io(1);
  Supervisor supervisor(io, options);
  if (auto started = supervisor.start(); !started) {
    std::cerr << "appliance up: " << started.message() << "\n";
    return 1;
  }
  io.run();
  ::unlink(options.paths.lock_file().c_str());
  log::info("all daemons stopped");
  return 0;
}

}  // namespace appliance
