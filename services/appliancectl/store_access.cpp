// NAME
//   store_access.cpp - open the store with keyd's data keys.
#include "appliancectl/store_access.h"

#include <fmt/format.h>

#include <cstdlib>
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

namespace {

using Action = std::function<int(store::Store&, keyd::KeydClient&)>;

int with_store_and_keyd(const std::filesystem::path& home, bool create, const Action& action) {
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
  return action(**opened, client);
}

}  // namespace

int with_store(const std::filesystem::path& home, bool create,
               const std::function<int(store::Store&)>& action) {
  return with_store_and_keyd(home, create,
                             [&](store::Store& s, keyd::KeydClient&) { return action(s); });
}

std::filesystem::path breached_list_path() {
  if (const char* env = std::getenv("APPLIANCE_BREACHED_LIST"); env && *env) return env;
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return self.parent_path().parent_path() / "share" / "appliance" / "common-passwords.txt";
}

Result<auth::AccountSettings> account_settings(const std::filesystem::path& home) {
  Paths paths{home};
  if (!std::filesystem::exists(paths.config())) return auth::AccountSettings{};
  auto doc = config::load(paths.config());
  if (!doc) return doc.error();
  return auth::read_account_settings(*doc);
}

int with_accounts(const std::filesystem::path& home,
                  const std::function<int(store::Store&, auth::AccountService&)>& action) {
  auto list = auth::BreachedList::open(breached_list_path().string());
  if (!list)
    return fail(fmt::format(
        "the breached-password list: {} (APPLIANCE_BREACHED_LIST names another)", list.message()));
  auto settings = account_settings(home);
  if (!settings) return fail(settings.message());
  return with_store_and_keyd(home, true, [&](store::Store& s, keyd::KeydClient& client) {
    auth::KeydSecretKeys keys(client);
    auth::SystemClock clock;
    auth::PasswordPolicy policy(&*list);
    auth::AccountService service({s, keys, clock, policy, settings->argon2});
    return action(s, service);
  });
}

std::function<void()> accounts_callback(const std::filesystem::path& home, int& exit_code,
                                        AccountAction action) {
  return
      [&home, &exit_code, action = std::move(action)] { exit_code = with_accounts(home, action); };
}

std::function<void()> service_callback(const std::filesystem::path& home, int& exit_code,
                                       std::function<int(auth::AccountService&)> action) {
  return accounts_callback(
      home, exit_code,
      [action = std::move(action)](store::Store&, auth::AccountService& s) { return action(s); });
}

}  // namespace appliance::ctl
