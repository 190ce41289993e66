// NAME
//   passwords.h - `appliancectl accounts passwd|app-passwords`: how accounts sign in.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>

namespace appliance::ctl {

// Adds to the `accounts` subcommand (add_account_commands() made it).
void add_password_commands(CLI::App& accounts, const std::filesystem::path& home, int& exit_code);

}  // namespace appliance::ctl
