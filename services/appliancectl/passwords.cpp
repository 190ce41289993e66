// NAME
//   passwords.cpp - an account's password, and its app passwords.
//
// DESCRIPTION
//   `accounts passwd ADDR` reads the new password from --password-file, or
//   from standard input: typed twice without echo at a terminal, otherwise
//   the first line (one trailing newline is not part of it). The policy
//   (docs/accounts.md) refuses it with the rule it breaks.
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

namespace appliance::ctl {
namespace {

struct Options {
  std::string address, password_file;
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

}  // namespace

void add_password_commands(CLI::App& accounts, const std::filesystem::path& home, int& exit_code) {
  auto o = std::make_shared<Options>();
  auto run = [&home, &exit_code](auto action) {
    return [&home, &exit_code, action] {
      exit_code = with_accounts(
          home, [&](store::Store&, auth::AccountService& service) { return action(service); });
    };
  };
  auto* pw = accounts.add_subcommand("passwd",
                                     "Set an account's password (read from standard "
                                     "input or a file, never from the command line)");
  pw->add_option("address", o->address, "The account")->required();
  pw->add_option("--password-file", o->password_file, "Read the new password from this file");
  pw->callback(run([o](auth::AccountService& s) { return passwd(s, *o); }));
}

}  // namespace appliance::ctl
