// NAME
//   accounts.h - `appliancectl tenants|domains|accounts`: who has mail here.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>

namespace appliance::ctl {

// Adds the subcommand trees; callbacks read `home` once it is parsed.
void add_account_commands(CLI::App& app, const std::filesystem::path& home, int& exit_code);

}  // namespace appliance::ctl
