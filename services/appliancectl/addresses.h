// NAME
//   addresses.h - `appliancectl aliases|catch-all`: addresses that lead to accounts.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>

namespace appliance::ctl {

void add_address_commands(CLI::App& app, const std::filesystem::path& home, int& exit_code);

}  // namespace appliance::ctl
