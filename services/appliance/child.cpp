// NAME
//   child.cpp - fork and exec with socket activation.
#include "appliance/child.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace appliance {
namespace {

// Between fork and exec only async-signal-safe calls: everything that
// allocates is prepared before the fork.
struct Prepared {
  std::vector<std::string> strings;
  std::vector<char*> argv;
  std::vector<char*> envp;
  char listen_pid[32] = "LISTEN_PID=";
  std::vector<int> fds;
  int null_fd = -1;
};

Prepared prepare(const ChildSpec& spec) {
  Prepared p;
  p.strings.push_back(spec.binary);
  for (const auto& a : spec.args) p.strings.push_back(a);
  std::size_t argc = p.strings.size();
  for (char** e = environ; *e; ++e) {
    std::string_view v(*e);
    if (!v.starts_with("LISTEN_") && !v.starts_with("NOTIFY_SOCKET=")) p.strings.emplace_back(v);
  }
  for (const auto& e : spec.env) p.strings.push_back(e);
  if (!spec.sockets.empty()) {
    std::string names;
    for (const auto& [name, fd] : spec.sockets) {
      names += (names.empty() ? "" : ":") + name;
      p.fds.push_back(fd);
    }
    p.strings.push_back(fmt::format("LISTEN_FDS={}", spec.sockets.size()));
    p.strings.push_back("LISTEN_FDNAMES=" + names);
  }
  if (!spec.notify_socket.empty()) p.strings.push_back("NOTIFY_SOCKET=" + spec.notify_socket);
  for (std::size_t i = 0; i < p.strings.size(); ++i)
    (i < argc ? p.argv : p.envp).push_back(p.strings[i].data());
  p.argv.push_back(nullptr);
  if (!p.fds.empty()) p.envp.push_back(p.listen_pid);
  p.envp.push_back(nullptr);
  if (spec.quiet) p.null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  return p;
}

// Writes the decimal pid after "LISTEN_PID=" without allocating.
void put_pid(char* buf, pid_t pid) {
  char digits[16];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + pid % 10);
    pid /= 10;
  } while (pid > 0);
  char* out = buf + std::strlen("LISTEN_PID=");
  while (n > 0) *out++ = digits[--n];
  *out = '\0';
}

[[noreturn]] void exec_child(Prepared& p, pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent) _exit(1);  // the parent died before prctl
  setsid();
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  // Move the sockets out of the way first, then into 3, 4, ...
  int high = 1000;
  for (int& fd : p.fds) {
    fd = fcntl(fd, F_DUPFD_CLOEXEC, high);
    if (fd < 0) _exit(71);
  }
  for (std::size_t i = 0; i < p.fds.size(); ++i)
    if (dup2(p.fds[i], 3 + static_cast<int>(i)) < 0) _exit(71);
  if (p.null_fd >= 0 && dup2(p.null_fd, STDOUT_FILENO) < 0) _exit(71);
  if (!p.fds.empty()) put_pid(p.listen_pid, getpid());
  execve(p.argv[0], p.argv.data(), p.envp.data());
  _exit(127);
}

}  // namespace

Result<pid_t> spawn(const ChildSpec& spec) {
  Prepared p = prepare(spec);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) exec_child(p, parent);
  int fork_errno = errno;
  if (p.null_fd >= 0) close(p.null_fd);
  if (pid < 0) return make_error(fmt::format("fork: {}", std::strerror(fork_errno)));
  return pid;
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status))
    return fmt::format("killed by signal SIG{}{}", sigabbrev_np(WTERMSIG(status)) ?: "?",
                       WCOREDUMP(status) ? " (core dumped)" : "");
  return fmt::format("wait status {}", status);
}

}  // namespace appliance
