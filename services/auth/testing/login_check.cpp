// NAME
//   login_check.cpp - one protocol login against a running appliance's store
//   and keyd, for the end-to-end tests.
//
// DESCRIPTION
//   auth_login_check --home DIR --user U --protocol imap --source IP [--client C]
//   reads the password (or app password) from the first line of standard
//   input, logs in through the account service exactly as a mail daemon
//   does, and prints `ok=<0|1> address=<a> retry_after=<s> reason=<why>`.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "auth/login_service.h"
#include "common/paths.h"
#include "keyd/client.h"
#include "store/data_key.h"
#include "store/open.h"

int main(int argc, char** argv) {
  using namespace appliance;
  CLI::App app{"Log in once through the account service."};
  std::string home, user, protocol = "imap", source = "127.0.0.1", client = "auth_login_check";
  app.add_option("--home", home)->required();
  app.add_option("--user", user)->required();
  app.add_option("--protocol", protocol);
  app.add_option("--source", source);
  app.add_option("--client", client);
  CLI11_PARSE(app, argc, argv);

  Paths paths{std::filesystem::absolute(home)};
  keyd::KeydClient keyd(paths.keyd_socket().string(), std::chrono::seconds(5));
  store::KeydDataKeySource data_keys(keyd);
  StoreConfig config;
  if (std::filesystem::exists(paths.config())) {
    auto read = load_store_config(paths.config().string());
    if (!read) return std::printf("FAIL %s\n", read.message().c_str()), 2;
    config = *read;
  }
  auto store = store::open_configured(paths, config, &data_keys);
  auto proto = auth::parse_protocols(protocol);
  auto ip = auth::parse_ip(source);
  if (!store || !proto || !ip) return std::puts("FAIL bad arguments or no store"), 2;
  auth::KeydSecretKeys keys(keyd);
  auth::SystemClock clock;
  auth::PasswordPolicy policy(nullptr);
  auth::AccountService accounts({**store, keys, clock, policy});
  auth::Throttle throttle(clock);
  auth::StoreLoginService logins(accounts, throttle);
  std::string password;
  std::getline(std::cin, password);
  auto out =
      logins.login({user, Secret(password), static_cast<auth::Protocol>(*proto), *ip, client});
  if (!out) return std::printf("FAIL %s\n", out.message().c_str()), 1;
  std::printf("ok=%d address=%s retry_after=%lld reason=%s\n", out->ok, out->address.c_str(),
              static_cast<long long>(out->retry_after.count()), out->reason.c_str());
  return 0;
}
