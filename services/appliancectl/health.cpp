// NAME
//   health.cpp - health over the admin sockets.
#include "appliancectl/health.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <vector>

#include "common/admin.h"

namespace appliance::ctl {

int health(const Paths& paths, const std::string& daemon) {
  using namespace std::chrono_literals;
  std::vector<std::string> names;
  if (!daemon.empty()) {
    names.push_back(daemon);
  } else {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(paths.admin_dir(), ec))
      if (entry.path().extension() == ".sock" && entry.path().stem() != "notify")
        names.push_back(entry.path().stem().string());
    std::sort(names.begin(), names.end());
    if (names.empty()) {
      std::cerr << fmt::format("appliancectl: no daemon runs in {}\n", paths.home.string());
      return 1;
    }
  }
  bool all = true;
  for (const std::string& name : names) {
    auto h = query_health(paths.admin_socket(name).string(), 2s);
    if (!h) {
      std::cout << fmt::format("{:<12} unreachable: {}\n", name, h.message());
      all = false;
      continue;
    }
    all = all && h->health.ready;
    std::cout << fmt::format("{:<12} {}{}\n", name, h->health.ready ? "ready" : "NOT READY",
                             h->health.reason.empty() ? "" : ": " + h->health.reason);
  }
  return all ? 0 : 1;
}

}  // namespace appliance::ctl
