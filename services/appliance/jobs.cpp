// NAME
//   jobs.cpp - periodic appliancectl commands run by the supervisor.
#include "appliance/jobs.h"

#include <signal.h>
#include <sys/wait.h>

#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>

#include "appliance/child.h"
#include "common/log.h"

namespace appliance {

using namespace std::chrono_literals;

const std::vector<JobSpec>& periodic_jobs() {
  static const std::vector<JobSpec> list = {
      {"retention", {"retention", "run"}, 24h},
      {"store-check", {"store", "check", "--verdict"}, 0s, 30s, 20},
  };
  return list;
}

Jobs::Jobs(boost::asio::io_context& io, Paths paths, std::filesystem::path libexec)
    : io_(io), paths_(std::move(paths)), libexec_(std::move(libexec)) {}

void Jobs::start() {
  for (const JobSpec& spec : periodic_jobs()) run(jobs_.emplace_back(Job{spec, boost::asio::steady_timer(io_)}));
}

void Jobs::run(Job& job) {
  if (job.pid == 0) {
    ChildSpec spec;
    spec.binary = (libexec_ / "appliancectl").string();
    spec.args = {"--home", paths_.home.string()};
    spec.args.insert(spec.args.end(), job.spec.args.begin(), job.spec.args.end());
    spec.quiet = true;
    if (auto pid = spawn(spec); pid) job.pid = *pid;
    else log::error("cannot start job", {{"job", job.spec.name}, {"error", pid.message()}});
  } else {
    log::warning("job still running; not started again", {{"job", job.spec.name}});
  }
  if (job.spec.interval > 0s) schedule(job, job.spec.interval);
}

void Jobs::schedule(Job& job, std::chrono::seconds delay) {
  job.timer.expires_after(delay);
  job.timer.async_wait([this, &job](boost::system::error_code ec) {
    if (!ec && !stopped_) run(job);
  });
}

bool Jobs::reaped(pid_t pid, int status) {
  for (Job& job : jobs_) {
    if (job.pid != pid || pid == 0) continue;
    job.pid = 0;
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    job.last = ok ? "ok" : describe_wait_status(status);
    job.finished = std::time(nullptr);
    ++job.runs;
    if (ok) log::info("job done", {{"job", job.spec.name}});
    else log::error("job failed", {{"job", job.spec.name}, {"status", job.last}});
    if (ok) {
      job.retries = 0;
    } else if (job.spec.retry > 0s && job.retries < job.spec.max_retries && !stopped_) {
      ++job.retries;
      schedule(job, job.spec.retry);  // replaces the wait for the interval
    }
    write_status();
    return true;
  }
  return false;
}

void Jobs::write_status() const {
  nlohmann::json status = nlohmann::json::object();
  for (const Job& job : jobs_)
    status[job.spec.name] = {{"runs", job.runs}, {"last", job.last}, {"finished", job.finished}};
  std::filesystem::path path = paths_.run_dir() / "jobs.json";
  std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << status.dump() << "\n";
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) log::warning("cannot write job status", {{"file", path.string()}, {"error", ec.message()}});
}

void Jobs::stop() {
  stopped_ = true;
  for (Job& job : jobs_) {
    job.timer.cancel();
    if (job.pid != 0) ::kill(job.pid, SIGTERM);
  }
}

}  // namespace appliance
