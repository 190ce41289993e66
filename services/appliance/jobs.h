// NAME
//   jobs.h - the supervisor's periodic jobs (development's systemd timers).
//
// DESCRIPTION
//   A job is an appliancectl command run when every daemon is up and then
//   once per interval: the daily retention job (`appliancectl retention
//   run`), which on a box runs from appliance-retention.timer; and the store
//   check (`appliancectl store check --verdict`), once at start as
//   appliance-store-check.service runs it once per boot, again after a
//   failure (keyd may still be opening its token) a few times. Its output is
//   not shown on the console; its outcome is logged and written to
//   run/jobs.json (per job: runs finished since the supervisor started, the
//   last outcome and when it ended). A run still going when
//   the next is due is not started twice, and stopping the supervisor stops
//   a running job.
#pragma once

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <filesystem>
#include <list>
#include <string>
#include <vector>

#include "common/paths.h"

namespace appliance {

struct JobSpec {
  std::string name;
  std::vector<std::string> args;  // of appliancectl, after --home
  std::chrono::seconds interval;  // 0: only at start
  std::chrono::seconds retry{0};  // after a failed run; 0: wait for the interval
  int max_retries = 0;            // in a row
};

const std::vector<JobSpec>& periodic_jobs();

class Jobs {
 public:
  Jobs(boost::asio::io_context& io, Paths paths, std::filesystem::path libexec);

  // Runs each job now, then every interval.
  void start();
  // Called for each reaped child; true if it was one of the jobs.
  bool reaped(pid_t pid, int status);
  void stop();

 private:
  struct Job {
    JobSpec spec;
    boost::asio::steady_timer timer;
    pid_t pid = 0;
    int runs = 0;
    int retries = 0;   // failed runs in a row retried so far
    std::string last;  // "ok" or how it failed
    std::int64_t finished = 0;
  };
  void write_status() const;
  void run(Job& job);
  void schedule(Job& job, std::chrono::seconds delay);

  boost::asio::io_context& io_;
  Paths paths_;
  std::filesystem::path libexec_;
  std::list<Job> jobs_;
  bool stopped_ = false;
};

}  // namespace appliance
