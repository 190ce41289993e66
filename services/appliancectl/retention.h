// NAME
//   retention.h - `appliancectl retention run`: remove what the retention
//   limits say is due (auth/retention.h).
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>

namespace appliance::ctl {

void add_retention_commands(CLI::App& app, const std::filesystem::path& home, int& exit_code);

}  // namespace appliance::ctl
