// NAME
//   store_access.cpp - open the store with keyd's data keys.
#include "appliancectl/store_access.h"

#include <fmt/format.h>

#include <iostream>

#include "common/admin.h"
#include "common/paths.h"
#include "keyd/client.h"
#include "store/data_key.h"
#include "store/open.h"

namespace appliance::ctl {

using namespace std::chrono_literals;

int fail(const std::string& message) {
  std::cerr << "appliancectl: " << message << "\n";
  return 1;
}

int with_store(const std::filesystem::path& home, bool create,
               const std::function<int(store::Store&)>& action) {
  Paths paths{std::filesystem::absolute(home)};
  StoreConfig config;  // without a configuration file: the embedded default
  if (std::filesystem::exists(paths.config())) {
    auto read = load_store_config(paths.config().string());
    if (!read) return fail(read.message());
    config = *read;
  }
  if (config.backend == "sqlite" && !create && !std::filesystem::exists(paths.store_dir()))
    return std::cout << "no store yet at " << paths.store_dir().string() << "\n", 0;
  auto health = query_health(paths.admin_socket("keyd").string(), 3s);
  if (!health) return fail(fmt::format("keyd is not running ({})", health.message()));
  if (!health->health.ready)
    return fail(fmt::format("keyd is not ready: {}", health->health.reason));
  keyd::KeydClient client(paths.keyd_socket().string(), 3s);
  store::KeydDataKeySource keys(client);
  auto opened = store::open_configured(paths, config, &keys);
  if (!opened) return fail(opened.message());
  return action(**opened);
}

}  // namespace appliance::ctl
