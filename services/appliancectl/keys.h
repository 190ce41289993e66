// NAME
//   keys.h - `appliancectl keys ...`: the token's keys, through keyd.
#pragma once

#include <CLI/CLI.hpp>

#include "common/paths.h"

namespace appliance::ctl {

// Adds the `keys` subcommand tree. The callbacks run during parsing, so they
// read `home` then, once --home has been parsed.
void add_keys_commands(CLI::App& app, const std::filesystem::path& home, int& exit_code);

}  // namespace appliance::ctl
