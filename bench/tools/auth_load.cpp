// NAME
//   auth_load - logins through the account service as fast as threads allow.
//
// DESCRIPTION
//   auth_load --home DIR [--threads N] [--protocol imap] [--cache]
//   reads credentials from standard input, one `address<TAB>secret` per
//   line, and logs each in once through StoreLoginService over the running
//   appliance's store and keyd, exactly as a mail daemon does. Without
//   --cache no credential cache is kept, so every login pays its whole path:
//   Argon2id and the pepper HMAC for a password, the token HMAC for an app
//   password. With --cache, each credential is logged in twice and only the
//   second (a cache hit, a mail client's reconnect) is measured. With
//   --api-keys the secrets are ignored: each address first gets an API key
//   of its own (its user grant, made through ApiKeys as webd makes one after
//   sudo mode), and each line presents that key as webd checks a bearer
//   token (ApiKeys::authenticate: the token HMAC in keyd, the key's row, its
//   account, the last use written). Prints one
//   JSON object: logins, failures, seconds, logins_per_s, p50_ms, p99_ms,
//   cpu_ms_per_login (this process; keyd's CPU is the caller's to add).
#include <sys/resource.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <thread>
#include <vector>

#include "auth/api_keys.h"
#include "auth/login_service.h"
#include "auth/settings.h"
#include "common/paths.h"
#include "keyd/client.h"
#include "store/data_key.h"
#include "store/open.h"

namespace {

using namespace appliance;
using Clock = std::chrono::steady_clock;

struct Credential {
  std::string address;
  std::string secret;
};

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

bool login(auth::LoginService& logins, const Credential& c, auth::Protocol protocol,
           const auth::IpAddress& source) {
  auto out = logins.login({c.address, Secret(c.secret), protocol, source, "auth_load"});
  return out && out->ok;
}

// Replaces each credential's secret by an API key of its address's own.
bool make_api_keys(auth::ApiKeys& api_keys, std::vector<Credential>& credentials) {
  std::map<std::string, std::string> made;
  for (Credential& c : credentials) {
    if (!made.contains(c.address)) {
      auto key =
          api_keys.create(c.address, "auth_load", {auth::Grant{}}, std::nullopt, "auth_load");
      if (!key) return std::fprintf(stderr, "auth_load: %s\n", key.message().c_str()), false;
      made[c.address] = std::string(key->text.reveal());
    }
    c.secret = made[c.address];
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Log credentials in through the account service; print the rate."};
  std::string home, protocol = "imap";
  int threads = 2;
  bool cache = false, api_keys_mode = false;
  app.add_option("--home", home)->required();
  app.add_option("--threads", threads)->check(CLI::Range(1, 64));
  app.add_option("--protocol", protocol);
  app.add_flag("--cache", cache);
  app.add_flag("--api-keys", api_keys_mode, "present API keys as webd's bearer tokens");
  CLI11_PARSE(app, argc, argv);

  std::vector<Credential> credentials;
  for (std::string line; std::getline(std::cin, line);)
    if (auto tab = line.find('\t'); tab != std::string::npos)
      credentials.push_back({line.substr(0, tab), line.substr(tab + 1)});

  Paths paths{std::filesystem::absolute(home)};
  keyd::KeydClient keyd(paths.keyd_socket().string(), std::chrono::seconds(5));
  store::KeydDataKeySource data_keys(keyd);
  auto config = load_store_config(paths.config().string());
  auto doc = config::load(paths.config());
  if (!config || !doc) return std::puts("auth_load: cannot read the configuration"), 2;
  auto settings = auth::read_account_settings(*doc);
  auto store = store::open_configured(paths, *config, &data_keys);
  auto proto = auth::parse_protocols(protocol);
  auto source = auth::parse_ip("127.0.0.1");
  if (!settings || !store || !proto || !source) return std::puts("auth_load: bad setup"), 2;

  auth::KeydSecretKeys keys(keyd);
  auth::SystemClock clock;
  auth::PasswordPolicy policy(nullptr);
  auth::CredentialCache credential_cache(clock);
  auth::AccountService accounts(
      {**store, keys, clock, policy, settings->argon2, cache ? &credential_cache : nullptr});
  auth::Throttle throttle(clock);
  auth::StoreLoginService logins(accounts, throttle, settings->sign_in_notices);
  auto p = static_cast<auth::Protocol>(*proto);
  if (cache)
    for (const Credential& c : credentials) login(logins, c, p, *source);
  auth::ApiKeys api_keys(accounts);
  if (api_keys_mode && !make_api_keys(api_keys, credentials)) return 2;
  auto attempt = [&](const Credential& c) {
    if (!api_keys_mode) return login(logins, c, p, *source);
    auto checked = api_keys.authenticate(Secret(c.secret), *source, "auth_load");
    return checked && checked->ok;
  };

  std::atomic<std::size_t> next{0}, failures{0};
  std::vector<std::vector<double>> latencies(threads);
  double cpu0 = cpu_seconds();
  auto start = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (std::size_t i; (i = next++) < credentials.size();) {
        auto t0 = Clock::now();
        if (!attempt(credentials[i])) ++failures;
        latencies[t].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
    });
  for (auto& th : pool) th.join();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  double cpu = cpu_seconds() - cpu0;
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double q) { return all.empty() ? 0.0 : all[std::size_t(q * (all.size() - 1))]; };
  std::printf(
      "{\"logins\": %zu, \"failures\": %zu, \"seconds\": %.3f, \"logins_per_s\": %.1f, "
      "\"p50_ms\": %.2f, \"p99_ms\": %.2f, \"cpu_ms_per_login\": %.3f, \"argon2\": "
      "{\"memory_kib\": %u, \"iterations\": %u, \"parallelism\": %u}}\n",
      all.size(), failures.load(), seconds, double(all.size()) / seconds, pct(0.5), pct(0.99),
      all.empty() ? 0.0 : cpu * 1000 / double(all.size()), settings->argon2.memory_kib,
      settings->argon2.iterations, settings->argon2.parallelism);
  return failures ? 1 : 0;
}
