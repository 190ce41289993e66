// NAME
//   export.h - `appliancectl accounts export`: one account's data for its owner.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>

namespace appliance::ctl {

void add_export_commands(CLI::App& accounts, const std::filesystem::path& home, int& exit_code);

}  // namespace appliance::ctl
