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

namespace {
std::string& failure() {
  static std::string last;
  return last;
}
}  // namespace

int fail(const std::string& message) {
  std::cerr << "appliancectl: " << message << "\n";
  failure() = message;
  return 1;
}

const std::string& last_failure() {
  return failure();
}

namespace {

using Action = std::function<int(store::Store&, keyd::KeydClient&)>;

// What appliancectl reads of home's configuration; without a file, the
// embedded defaults.
struct Configuration {
  StoreConfig store;
  auth::AccountSettings accounts;
};

Result<StoreConfig> configured_store(const Paths& paths) {
  if (!std::filesystem::exists(paths.config())) return StoreConfig{};
  return load_store_config(paths.config().string());
}

Result<Configuration> read_configuration(const Paths& paths) {
  if (!std::filesystem::exists(paths.config())) return Configuration{};
  auto doc = config::load(paths.config());
  if (!doc) return doc.error();
  auto store = store_config(*doc);
  if (!store) return store.error();
  auto accounts = auth::read_account_settings(*doc);
  if (!accounts) return accounts.error();
  return Configuration{*store, *accounts};
}

int with_store_and_keyd(const Paths& paths, const StoreConfig& config, bool create,
                        const Action& action) {
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
  Paths paths{std::filesystem::absolute(home)};
  auto config = configured_store(paths);
  if (!config) return fail(config.message());
  return with_store_and_keyd(paths, *config, create,
                             [&](store::Store& s, keyd::KeydClient&) { return action(s); });
}

std::filesystem::path breached_list_path() {
  if (const char* env = std::getenv("APPLIANCE_BREACHED_LIST"); env && *env) return env;
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return self.parent_path().parent_path() / "share" / "appliance" / "common-passwords.txt";
}

int with_account_settings(const std::filesystem::path& home, const SettingsAction& action) {
  auto list = auth::BreachedList::open(breached_list_path().string());
  if (!list)
    return fail(fmt::format(
        "the breached-password list: {} (APPLIANCE_BREACHED_LIST names another)", list.message()));
  Paths paths{std::filesystem::absolute(home)};
  auto config = read_configuration(paths);
  if (!config) return fail(config.message());
  const auth::AccountSettings& settings = config->accounts;
  return with_store_and_keyd(
      paths, config->store, true, [&](store::Store& s, keyd::KeydClient& client) {
        auth::KeydSecretKeys keys(client);
        auth::SystemClock clock;
        auth::PasswordPolicy policy(&*list);
        auth::AccountService service({s, keys, clock, policy, settings.argon2});
        return action(s, service, settings);
      });
}

int with_accounts(const std::filesystem::path& home,
                  const std::function<int(store::Store&, auth::AccountService&)>& action) {
  return with_account_settings(
      home, [&](store::Store& s, auth::AccountService& service, const auth::AccountSettings&) {
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
