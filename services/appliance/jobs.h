// NAME
//   jobs.h - the supervisor's periodic jobs (development's systemd timers).
//
// DESCRIPTION
//   A job is an appliancectl command run when every daemon is up and then
//   once per interval: today the daily retention job (`appliancectl retention
//   run`), which on a box runs from appliance-retention.timer. Its output is
//   not shown on the console; its outcome is logged. A run still going when
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
  std::chrono::seconds interval;
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
  };
  void run(Job& job);
  void schedule(Job& job);

  boost::asio::io_context& io_;
  Paths paths_;
  std::filesystem::path libexec_;
  std::list<Job> jobs_;
  bool stopped_ = false;
};

}  // namespace appliance
