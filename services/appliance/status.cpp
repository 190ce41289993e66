// NAME
//   status.cpp - ask the supervisor, then each daemon.
#include "appliance/status.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <optional>

#include "common/admin.h"
#include "common/ipc.h"

namespace appliance {
namespace {

using namespace std::chrono_literals;

struct ChildStatus {
  std::string name;
  std::uint32_t pid = 0;
  std::uint32_t restarts = 0;
  std::string state;
  std::string last_exit;
};

Result<std::vector<ChildStatus>> query_children(const Paths& paths) {
  auto client = ipc::Client::connect(paths.supervisor_socket().string(), 2s);
  if (!client) return client.error();
  ipc::Writer request(ipc::Type::status_request);
  auto reply = client->call(request, 2s);
  if (!reply) return reply.error();
  if (reply->type != ipc::Type::status_reply) return make_error("unexpected reply");
  ipc::Reader r(reply->body);
  std::uint32_t n = r.u32();
  std::vector<ChildStatus> out;
  for (std::uint32_t i = 0; i < n && i < 64 && !r.failed(); ++i)
    out.push_back({r.str(64), r.u32(), r.u32(), r.str(64), r.str(256)});
  if (auto end = r.end(); !end) return end.error();
  return out;
}

// In development nothing reboots: the request updated leaves after a
// rollback is only shown. Its first line, printable characters only.
std::optional<std::string> reboot_requested(const Paths& paths) {
  std::ifstream in(paths.reboot_request());
  if (!in) return std::nullopt;
  std::string line;
  std::getline(in, line);
  line.resize(std::min<std::size_t>(line.size(), 300));
  std::replace_if(
      line.begin(), line.end(),
      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }, '?');
  return line.empty() ? "(no reason given)" : line;
}

}  // namespace

int print_status(const Paths& paths) {
  auto children = query_children(paths);
  if (!children) {
    std::cout << fmt::format("appliance is not running in {} ({})\n", paths.home.string(),
                             children.message());
    return 3;
  }
  bool all_ready = true;
  std::cout << fmt::format("{:<12} {:<11} {:>7} {:>8}  {}\n", "DAEMON", "STATE", "PID",
                           "RESTARTS", "HEALTH");
  for (const ChildStatus& c : *children) {
    std::string health = "-";
    if (c.state == "running" || c.state == "starting") {
      auto h = query_health(paths.admin_socket(c.name).string(), 2s);
      if (!h) health = "no answer: " + h.message();
      else health = (h->health.ready ? "ready" : "not ready") +
                    (h->health.reason.empty() ? "" : ": " + h->health.reason);
      all_ready = all_ready && h && h->health.ready;
    } else {
      all_ready = false;
      if (!c.last_exit.empty()) health = "last " + c.last_exit;
    }
    std::cout << fmt::format("{:<12} {:<11} {:>7} {:>8}  {}\n", c.name, c.state, c.pid,
                             c.restarts, health);
  }
  if (auto reason = reboot_requested(paths)) std::cout << "reboot requested: " << *reason << "\n";
  return all_ready ? 0 : 1;
}

}  // namespace appliance
