// NAME
//   passwords.cpp - an account's password and its app passwords.
//
// DESCRIPTION
//   `accounts passwd ADDR` reads the new password from --password-file, or
//   from standard input: typed twice without echo at a terminal, otherwise
//   the first line (one trailing newline is not part of it). The policy
//   (docs/accounts.md) refuses it with the rule it breaks.
//
//   `accounts app-passwords add ADDR --name N --protocols imap,smtp
//   [--networks CIDR,...] [--expires YYYY-MM-DD | --days N]` prints the new
//   app password once; `list` shows them with their last use, `revoke` ends one.
//
// SECURITY
//   A password is never an argument (it would show in `ps` and in shell
//   history) and is never printed. An app password is printed once, when it
//   is made; only its MAC is stored.
#include "appliancectl/passwords.h"

#include <termios.h>
#include <unistd.h>

#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "appliancectl/store_access.h"
#include "appliancectl/times.h"

namespace appliance::ctl {
namespace {

struct Options {
  std::string address, password_file;
  std::string name, protocols, networks, expires, id;
  int days = 0;
};

std::string without_newline(std::string text) {
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

// Echo off while a line is typed.
Result<Secret> typed(const char* prompt) {
  termios saved{};
  if (tcgetattr(STDIN_FILENO, &saved) != 0) return make_error("cannot read the terminal");
  termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  std::cerr << prompt << std::flush;
  std::string line;
  std::getline(std::cin, line);
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  std::cerr << "\n";
  return Secret(without_newline(std::move(line)));
}

Result<Secret> new_password(const Options& o) {
  if (!o.password_file.empty()) {
    std::ifstream in(o.password_file, std::ios::binary);
    if (!in) return make_error(fmt::format("cannot read {}", o.password_file));
    std::string line;
    std::getline(in, line);
    return Secret(without_newline(std::move(line)));
  }
  if (!isatty(STDIN_FILENO)) {
    std::string line;
    std::getline(std::cin, line);
    return Secret(without_newline(std::move(line)));
  }
  auto first = typed("New password: ");
  if (!first) return first;
  auto again = typed("Again: ");
  if (!again) return again;
  if (!first->equals(again->reveal())) return make_error("the two passwords differ");
  return first;
}

int passwd(auth::AccountService& service, const Options& o) {
  auto password = new_password(o);
  if (!password) return fail(password.message());
  if (password->empty()) return fail("no password given (standard input or --password-file)");
  if (auto r = service.set_password(o.address, *password, "appliancectl"); !r)
    return fail(r.message());
  std::cout << fmt::format("password of {} changed\n", auth::lower(o.address));
  return 0;
}

Result<auth::Scope> scope_of(const Options& o) {
  auth::Scope scope;
  auto protocols = auth::parse_protocols(o.protocols);
  if (!protocols) return protocols.error();
  scope.protocols = *protocols;
  for (std::size_t start = 0; start < o.networks.size();) {
    auto comma = std::min(o.networks.find(',', start), o.networks.size());
    auto net = auth::parse_cidr(std::string_view(o.networks).substr(start, comma - start));
    if (!net) return net.error();
    scope.networks.push_back(*net);
    start = comma + 1;
  }
  if (!o.expires.empty() && o.days) return make_error("give --expires or --days, not both");
  if (o.days < 0) return make_error("--days must be positive");
  if (o.days) scope.expires = auth::SystemClock().unix_seconds() + std::int64_t{o.days} * 86400;
  if (!o.expires.empty()) {
    auto end = end_of_day(o.expires);
    if (!end) return end.error();
    if (*end <= auth::SystemClock().unix_seconds())
      return make_error(fmt::format("{} is in the past", o.expires));
    scope.expires = *end;
  }
  return scope;
}

int app_add(auth::AccountService& service, const Options& o) {
  auto scope = scope_of(o);
  if (!scope) return fail(scope.message());
  if (o.name.empty() || o.name.size() > 64) return fail("--name is 1 to 64 characters");
  auto made = service.add_app_password(o.address, o.name, *scope, "appliancectl");
  if (!made) return fail(made.message());
  std::cout << fmt::format("app password {} for {} ({}), shown only now:\n{}\n", made->stored.id,
                           auth::lower(o.address), auth::protocols_to_string(scope->protocols),
                           made->text.reveal());
  return 0;
}

int app_list(auth::AccountService& service, const Options& o) {
  auto all = service.app_passwords(o.address);
  if (!all) return fail(all.message());
  std::cout << fmt::format("{:<9} {:<16} {:<15} {:<20} {:<17} {:<17} {:<17} {}\n", "ID", "NAME",
                           "PROTOCOLS", "NETWORKS", "CREATED", "EXPIRES", "LAST USED", "REVOKED");
  for (const store::AppPassword& p : *all)
    std::cout << fmt::format("{:<9} {:<16} {:<15} {:<20} {:<17} {:<17} {:<17} {}\n", p.id, p.name,
                             auth::protocols_to_string(p.protocols),
                             p.networks.empty() ? "any" : p.networks, utc_time(p.created),
                             utc_time(p.expires), utc_time(p.last_used), utc_time(p.revoked));
  return 0;
}

int app_revoke(auth::AccountService& service, const Options& o) {
  if (auto r = service.revoke_app_password(o.address, o.id, "appliancectl"); !r)
    return fail(r.message());
  std::cout << fmt::format("app password {} of {} revoked\n", o.id, auth::lower(o.address));
  return 0;
}

}  // namespace

void add_password_commands(CLI::App& accounts, const std::filesystem::path& home, int& exit_code) {
  auto o = std::make_shared<Options>();
  auto run = [&home, &exit_code](auto action) { return service_callback(home, exit_code, action); };
  auto* pw = accounts.add_subcommand("passwd",
                                     "Set an account's password (read from standard "
                                     "input or a file, never from the command line)");
  pw->add_option("address", o->address, "The account")->required();
  pw->add_option("--password-file", o->password_file, "Read the new password from this file");
  pw->callback(run([o](auth::AccountService& s) { return passwd(s, *o); }));

  auto* apps = accounts.add_subcommand("app-passwords", "Passwords for one mail client each");
  apps->require_subcommand(1);
  auto* add = apps->add_subcommand("add", "Make an app password (shown once)");
  add->add_option("address", o->address, "The account")->required();
  add->add_option("--name", o->name, "What it is for (\"phone\")")->required();
  add->add_option("--protocols", o->protocols, "Where it works: imap,pop3,smtp,api")->required();
  add->add_option("--networks", o->networks, "Only from these networks (CIDR, comma-separated)");
  add->add_option("--expires", o->expires, "Last day it works (YYYY-MM-DD, UTC)");
  add->add_option("--days", o->days, "Works for this many days");
  add->callback(run([o](auth::AccountService& s) { return app_add(s, *o); }));
  auto* list = apps->add_subcommand("list", "List an account's app passwords");
  list->add_option("address", o->address, "The account")->required();
  list->callback(run([o](auth::AccountService& s) { return app_list(s, *o); }));
  auto* revoke = apps->add_subcommand("revoke", "End an app password");
  revoke->add_option("address", o->address, "The account")->required();
  revoke->add_option("id", o->id, "Its id (app-passwords list)")->required();
  revoke->callback(run([o](auth::AccountService& s) { return app_revoke(s, *o); }));
}

}  // namespace appliance::ctl
