// NAME
//   store.h - `appliancectl store check|stats|gc`: the mail store's health.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>

namespace appliance::ctl {

// Adds the `store` subcommand tree; callbacks read `home` once it is parsed.
void add_store_commands(CLI::App& app, const std::filesystem::path& home, int& exit_code);

}  // namespace appliance::ctl
