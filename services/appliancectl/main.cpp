// NAME
//   appliancectl - the administrator's command line.
//
// SYNOPSIS
//   appliancectl [--home DIR] health [DAEMON]
//   appliancectl [--home DIR] keys list|generate|rotate|import|csr|
//                                  set-certificate|export-public|retire|delete
//   appliancectl [--home DIR] store check [--blobs] [--tenant T | --verdict] | stats | gc
//   appliancectl [--home DIR] tenants add|list, domains add,
//                             accounts add|list|passwd|app-passwords|show|role|quota|
//                                      lock|unlock|close|purge-closed|export
//   appliancectl [--home DIR] aliases add|list|remove, catch-all set|clear
//   appliancectl [--home DIR] logins [--account A] [--limit N] | logins purge [--days N]
//   appliancectl [--home DIR] audit list|verify
//   appliancectl [--home DIR] retention run
//   appliancectl [--home DIR] mail import ADDRESS FILE
//   appliancectl [--home DIR] dkim generate DOMAIN [--selector S] [--algorithm A] | list |
//                                  records DOMAIN
//
// DESCRIPTION
//   Talks to the daemons over their admin sockets in the state directory
//   (default $APPLIANCE_HOME, else /var/lib/appliance, else ./var).
//
// SECURITY
//   Runs as the administrator (root on a box). The admin sockets are mode 0600
//   in a root-only folder; each daemon checks the caller's uid as well.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>

#include "appliancectl/accounts.h"
#include "appliancectl/addresses.h"
#include "appliancectl/audit.h"
#include "appliancectl/dkim.h"
#include "appliancectl/export.h"
#include "appliancectl/health.h"
#include "appliancectl/keys.h"
#include "appliancectl/mail.h"
#include "appliancectl/queue.h"
#include "appliancectl/passwords.h"
#include "appliancectl/retention.h"
#include "appliancectl/settings.h"
#include "appliancectl/store.h"

namespace fs = std::filesystem;

namespace {

fs::path default_home() {
  if (const char* env = std::getenv("APPLIANCE_HOME"); env && *env) return env;
  if (fs::exists("/var/lib/appliance/run")) return "/var/lib/appliance";
  return fs::absolute("var");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Administer the mail appliance."};
  app.require_subcommand(1);
  fs::path home = default_home();
  app.add_option("--home", home, "State directory")->capture_default_str();

  std::string daemon;
  auto* health = app.add_subcommand("health", "Show whether each daemon is ready, and why not");
  health->add_option("daemon", daemon, "Only this daemon (keyd, smtpd, ...)");
  int exit_code = 1;
  appliance::ctl::add_keys_commands(app, home, exit_code);
  appliance::ctl::add_store_commands(app, home, exit_code);
  appliance::ctl::add_account_commands(app, home, exit_code);
  appliance::ctl::add_mail_commands(app, home, exit_code);
  appliance::ctl::add_password_commands(*app.get_subcommand("accounts"), home, exit_code);
  appliance::ctl::add_setting_commands(*app.get_subcommand("accounts"), home, exit_code);
  appliance::ctl::add_export_commands(*app.get_subcommand("accounts"), home, exit_code);
  appliance::ctl::add_address_commands(app, home, exit_code);
  appliance::ctl::add_audit_commands(app, home, exit_code);
  appliance::ctl::add_retention_commands(app, home, exit_code);
  appliance::ctl::add_dkim_commands(app, home, exit_code);
  appliance::ctl::add_queue_commands(app, home, exit_code);
  CLI11_PARSE(app, argc, argv);

  appliance::Paths paths{fs::absolute(home)};
  if (health->parsed()) return appliance::ctl::health(paths, daemon);
  return exit_code;
}
