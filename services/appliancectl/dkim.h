// NAME
//   dkim.h - `appliancectl dkim ...`: a domain's DKIM keys and the DNS
//   records to publish for them.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>

namespace appliance::ctl {

void add_dkim_commands(CLI::App& app, const std::filesystem::path& home, int& exit_code);

}  // namespace appliance::ctl
