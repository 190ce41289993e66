// NAME
//   settings.h - `appliancectl accounts show|role|quota|lock|unlock|close`.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>

namespace appliance::ctl {

// Adds to the `accounts` subcommand (add_account_commands() made it).
void add_setting_commands(CLI::App& accounts, const std::filesystem::path& home, int& exit_code);

}  // namespace appliance::ctl
